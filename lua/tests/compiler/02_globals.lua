print("hello")
x = 1
y = x + 2
x, y = y, x
t = {}
t.a = 1
t["b"] = 2
t[1] = t.a + t.b
print(t.a, t[1], #t)
