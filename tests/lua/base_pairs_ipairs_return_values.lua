-- ipairs returns an iterator, the table and 0; pairs returns a next-like function
local t = {"a"}
local f, s, c = ipairs(t)
print(type(f), s == t, c)
print(f(t, 0))
print(f(t, 1))
local g, s2, c2 = pairs(t)
print(type(g), s2 == t, c2)
print(g(t, nil))
