-- short-lived closures and reference cycles are collected
local n = 0
for i = 1, 200000 do
  local a, b = {}, {}
  a.other, b.other = b, a
  local f = function() return a, b end
  if f() == a then n = n + 1 end
end
print(n)
