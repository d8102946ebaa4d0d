-- math.random ranges: fractional bounds, huge intervals, distribution bounds.
math.randomseed(7)
print(math.random(2.9), math.random(1.5, 3.5), math.random("4"))
print(math.random(-2^31, 2^31 - 1))
print(math.random(0, 2^31 - 1))
local lo, hi = math.huge, -math.huge
for i = 1, 2000 do
  local r = math.random(3, 8)
  if r < lo then lo = r end
  if r > hi then hi = r end
end
print(lo, hi)
local ok = true
for i = 1, 2000 do local r = math.random() if r < 0 or r >= 1 then ok = false end end
print(ok)
