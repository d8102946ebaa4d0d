-- a table that grows large and is emptied again
local t = {}
for i = 1, 100000 do t[i] = {i} end
print(#t)
for i = #t, 1, -1 do t[i] = nil end
print(#t, next(t))
for i = 1, 100000 do t["k" .. i] = i end
local n = 0
for k, v in pairs(t) do n = n + 1 end
print(n)
for k in pairs(t) do t[k] = nil end
print(next(t))
