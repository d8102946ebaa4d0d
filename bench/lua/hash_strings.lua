-- core: hash-part access with string keys (field get/set, dynamic keys).
local N = tonumber(arg and arg[1]) or 2400000

local keys = {}
for i = 1, 200 do keys[i] = "key" .. i end

local t = {}
for i = 1, 200 do t[keys[i]] = i end

local sum = 0
for rep = 1, N / 200 do
  for i = 1, 200 do
    local k = keys[i]
    local v = t[k]
    t[k] = v + 1
    sum = sum + v
  end
end

-- constant-key field access on a record
local rec = { alpha = 1, beta = 2, gamma = 3, delta = 4, epsilon = 5 }
for i = 1, N * 5 do
  rec.alpha = rec.beta + rec.gamma
  rec.beta = rec.delta - rec.epsilon + i % 7
  rec.gamma = rec.alpha % 1000
end

-- build and drop string-keyed tables
local built = 0
for i = 1, N / 20 do
  local h = {}
  for j = 1, 20 do h[keys[j]] = j end
  for j = 1, 20 do built = built + h[keys[j]] end
end
print("hash_strings", sum, rec.alpha, rec.beta, rec.gamma, built)
