local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter()
print(c(), c())
local fns = {}
for i = 1, 3 do
  fns[i] = function() return i end
end
for _, v in ipairs({1,2}) do
  local w = v * 2
  fns[#fns + 1] = function() return v + w end
end
local a = 1
local function outer()
  local b = 2
  return function()
    local c = 3
    return function() a = a + b + c; return a end
  end
end
while true do
  local x = 1
  local g = function() return x end
  if g() then break end
end
repeat
  local y = 2
  local h = function() return y end
until h()
do
  local z = 5
  local k = function() z = z + 1 end
end
