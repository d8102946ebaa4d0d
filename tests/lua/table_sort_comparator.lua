-- table.sort with a Lua comparator: order, call count, stability pattern of equal keys.
local function show(t) print(table.concat(t, " ")) end
local t = {5, 3, 8, 1, 9, 2, 7, 4, 6, 0}
table.sort(t, function(a, b) return a > b end) show(t)
local recs = {}
for i = 1, 25 do recs[i] = {k = i % 4, id = i} end
table.sort(recs, function(a, b) return a.k < b.k end)
local o = {} for i = 1, 25 do o[i] = recs[i].id end print(table.concat(o, ","))
local calls, log = 0, {}
t = {} for i = 1, 100 do t[i] = (i * 37) % 101 end
table.sort(t, function(a, b) calls = calls + 1; if calls <= 12 then log[#log + 1] = a .. "<" .. b end return a < b end)
print(calls, t[1], t[50], t[100])
print(table.concat(log, " "))
t = {"b", "C", "a", "D"}
local rank = {a = 1, b = 2, C = 3, D = 4}
table.sort(t, function(a, b) return rank[a] < rank[b] end) show(t)
-- the comparator's result is tested for truth: non-booleans count
t = {3, 1, 2}
table.sort(t, function(a, b) if a < b then return 0 end return nil end) show(t)
-- native comparator
t = {3, 1, 2}
print(pcall(table.sort, t, math.max)) show(t)
