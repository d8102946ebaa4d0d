local x = 1
local x = x + 1
do
  local x = x * 2
  print(x)
end
local function f(x)
  local x = x or 0
  for x = x, x + 2 do print(x) end
  for x, x in pairs({}) do end
  return x
end
local a, a = 1, 2
print(x, f(3), a)
