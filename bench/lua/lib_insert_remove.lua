-- lib: table.insert / table.remove (append, front insert, middle), as stack and queue; # operator.
local N = tonumber(arg and arg[1]) or 2400000
local insert, remove = table.insert, table.remove

local total = 0
-- stack
local st = {}
for i = 1, N do
  insert(st, i)
  if i % 3 == 0 then total = total + remove(st) end
end
while #st > 0 do total = total + remove(st) end

-- queue with front removal on small tables
for r = 1, N / 100 do
  local q = {}
  for i = 1, 50 do insert(q, i) end
  for i = 1, 25 do total = total + remove(q, 1) end
  for i = 1, 10 do insert(q, 1, i) end
  insert(q, 5, 99)
  total = total + remove(q, 7) + #q
end

-- keep a sorted list by positional insert
local sorted = {}
local seed = 7
for i = 1, 2000 do
  seed = (seed * 16807) % 2147483647
  local v = seed % 10000
  local pos = 1
  while pos <= #sorted and sorted[pos] < v do pos = pos + 1 end
  insert(sorted, pos, v)
end
for i = 1, #sorted, 50 do total = total + sorted[i] end
print(string.format("lib_insert_remove %d %d", N, total))
