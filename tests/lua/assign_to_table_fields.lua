-- assignment to fields with dot, brackets, and nested tables
local t = {inner = {}}
t.a = 1
t["b"] = 2
t.inner.c = 3
t.inner["d"] = t.a + t.b
t[1], t[2] = "one", "two"
print(t.a, t.b, t.inner.c, t.inner.d, t[1], t[2])
t.a = nil
print(t.a)
