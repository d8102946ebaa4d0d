-- Larger sorts: results and comparison counts match 5.1's algorithm.
local seed = 12345
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
local t = {}
for i = 1, 2000 do t[i] = rnd() % 1000 end
local calls = 0
table.sort(t, function(a, b) calls = calls + 1 return a < b end)
print(calls)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
print(ok, t[1], t[1000], t[2000])
local s = {}
for i = 1, 500 do s[i] = tostring(rnd() % 10000) end
table.sort(s)
print(s[1], s[250], s[500])
local recs = {}
for i = 1, 300 do recs[i] = {k = rnd() % 7, id = i} end
table.sort(recs, function(a, b) return a.k < b.k end)
local o = {} for i = 1, 40 do o[i] = recs[i].id end print(table.concat(o, " "))
