-- multiple assignment adjusts the number of values
local a, b, c = 1, 2
print(a, b, c)
local d, e = 1, 2, 3
print(d, e)
local function two() return "x", "y" end
local f, g, h = two()
print(f, g, h)
local i, j, k = two(), 10
print(i, j, k)
local l, m, n = 0, two()
print(l, m, n)
local p, q = (two())
print(p, q)
