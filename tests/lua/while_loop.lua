-- while loops, including one that never runs
local i = 0
while i < 5 do i = i + 1 end
print(i)
while false do print("never") end
local n, steps = 27, 0
while n ~= 1 do
  if n % 2 == 0 then n = n / 2 else n = 3 * n + 1 end
  steps = steps + 1
end
print(steps)
