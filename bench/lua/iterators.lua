-- core: generic for with pairs / ipairs / next, and a stateless custom iterator.
local N = tonumber(arg and arg[1]) or 12000

local arr = {}
for i = 1, 1000 do arr[i] = i % 17 end
local hash = {}
for i = 1, 500 do hash["k" .. i] = i end
for i = 1, 500 do hash[i * 1.5] = i end

local function range_iter(n, i)
  i = i + 1
  if i <= n then return i end
end
local function range(n) return range_iter, n, 0 end

local s1, s2, s3, s4 = 0, 0, 0, 0
for rep = 1, N do
  for i, v in ipairs(arr) do s1 = s1 + v end
  for k, v in pairs(hash) do s2 = s2 + v end
  local k, v = next(arr)
  while k do
    s3 = s3 + v
    k, v = next(arr, k)
  end
  for i in range(500) do s4 = s4 + i end
end
print("iterators", N, s1, s2, s3, s4)
