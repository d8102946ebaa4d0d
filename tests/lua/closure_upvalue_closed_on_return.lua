-- returning from inside a loop closes the captured locals
local function make()
  for i = 1, 5 do
    local v = i
    if i == 2 then return function() return v end end
  end
end
print(make()())
local function early(n)
  local acc = {}
  do
    local x = n
    acc[1] = function() x = x * 2 return x end
  end
  return acc[1]
end
local d = early(3)
print(d(), d())
