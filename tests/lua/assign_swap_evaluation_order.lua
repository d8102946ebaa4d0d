-- all right-hand sides are evaluated before any assignment
local a, b = 1, 2
a, b = b, a
print(a, b)
local x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
g1, g2 = "one", "two"
g1, g2 = g2, g1
print(g1, g2)
