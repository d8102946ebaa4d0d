-- next on empty tables, single entries, and the end of traversal
print(next({}))
print(next({10}))
print(next({10}, 1))
print(next({x = "y"}))
local t = {1, 2, 3}
local k, n = next(t), 0
while k do n = n + 1 k = next(t, k) end
print(n)
print(select('#', next({})))
