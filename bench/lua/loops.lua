-- core: while / repeat loops, numeric for with steps, arithmetic and comparisons.
local N = tonumber(arg and arg[1]) or 3000000

-- Collatz steps with while
local steps = 0
local i = 1
while i <= N / 10 do
  local n = i
  while n ~= 1 do
    if n % 2 == 0 then n = n / 2 else n = 3 * n + 1 end
    steps = steps + 1
  end
  i = i + 1
end

-- repeat-until gcd
local g = 0
local k = 0
repeat
  k = k + 1
  local a, b = k * 7 + 13, k * 3 + 5
  repeat
    a, b = b, a % b
  until b == 0
  g = g + a
until k >= N / 10

-- numeric for with negative/float steps
local f = 0
for j = N, 1, -3 do f = f + j % 11 end
for x = 0, 100, 0.25 do f = f + x end

-- nested break
local br = 0
for a = 1, 1000 do
  for b = 1, 1000 do
    if b > a then break end
    br = br + 1
  end
end
print("loops", N, steps, g, f, br)
