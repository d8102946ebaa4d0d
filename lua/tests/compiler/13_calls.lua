print()
print(1)
print(1, 2, 3)
print(f())
print(f(), g())
print((f()))
obj:method()
obj:method(1, 2)
obj.field:method "str"
obj:method { 1, 2 }
f "string"
f [[long string]]
f { x = 1 }
local a = f(g(h(1)))
local b = obj:m():n():o()
local c = a.b.c.d.e
local d = a[1][2][b]
local e = f(...)
return f(1)
