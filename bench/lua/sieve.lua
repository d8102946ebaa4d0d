-- core: table array-part reads/writes (sieve of Eratosthenes).
local N = tonumber(arg and arg[1]) or 1000000
local REPS = 20

local count
local flags = {}
for rep = 1, REPS do
  for i = 1, N do flags[i] = true end
  flags[1] = false
  local i = 2
  while i * i <= N do
    if flags[i] then
      for j = i * i, N, i do flags[j] = false end
    end
    i = i + 1
  end
  count = 0
  local last = 0
  for k = 1, N do
    if flags[k] then count = count + 1; last = k end
  end
  count = count + last
end
print("sieve", N, count)
