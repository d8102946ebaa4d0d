-- lib: table.sort with and without a comparator (numbers, strings, records).
local N = tonumber(arg and arg[1]) or 180000
local sort = table.sort

-- deterministic LCG (no math.random: its sequence is platform libc dependent)
local seed = 42
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end

local total = 0
for rep = 1, 3 do
  local a = {}
  for i = 1, N do a[i] = rand(1000000) end
  sort(a)
  for i = 1, N, 97 do total = total + a[i] end

  local b = {}
  for i = 1, N do b[i] = rand(1000000) + 0.5 end
  sort(b, function(x, y) return x > y end)
  for i = 1, N, 97 do total = total + b[i] end

  local s = {}
  for i = 1, N / 2 do s[i] = "s" .. rand(100000) end
  sort(s)
  total = total + #s[1] + #s[#s]

  local recs = {}
  for i = 1, N / 2 do recs[i] = { key = rand(1000), id = i } end
  sort(recs, function(p, q)
    if p.key ~= q.key then return p.key < q.key end
    return p.id < q.id
  end)
  for i = 1, #recs, 101 do total = total + recs[i].id end
end
print(string.format("lib_sort %d %.1f", N, total))
