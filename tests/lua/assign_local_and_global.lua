-- locals shadow globals; globals live in _G
x = 10
local x = 20
print(x, _G.x)
do
  local x = 30
  print(x)
end
print(x)
y = nil
print(y, rawget(_G, "y"))
