-- in "i, t[i] = i+1, 20" the table index is evaluated before assignment (5.1)
local i = 3
local t = {}
i, t[i] = i + 1, 20
print(i, t[3], t[4])
local a = {}
local k = 1
a[k], k = "first", 2
print(a[1], a[2], k)
