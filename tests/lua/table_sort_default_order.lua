-- table.sort without a comparator: numbers, strings, already sorted, reversed, duplicates.
local function show(t) print(table.concat(t, " ")) end
local t = {5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 11, 15, 13, 12, 14, 10}
table.sort(t) show(t)
t = {"pear", "apple", "fig", "banana", "Apple", "a", ""} table.sort(t) show(t)
t = {} for i = 1, 30 do t[i] = i end table.sort(t) show(t)
t = {} for i = 1, 30 do t[i] = 31 - i end table.sort(t) show(t)
t = {} for i = 1, 40 do t[i] = (i * 7) % 5 end table.sort(t) show(t)
t = {1.5, -2, 1e10, -1e-3, 0} table.sort(t) show(t)
t = {} table.sort(t) print(#t)
t = {42} table.sort(t) show(t)
t = {2, 1} table.sort(t) show(t)
print(pcall(table.sort, {3, 1, 2, nil, 0}))
print(select("#", table.sort({3, 2, 1})))
