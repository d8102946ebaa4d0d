-- a method reference without a call
print(loadstring("local a = obj:method"))
print(loadstring("obj:method.x()"))
print(loadstring("x = 1 2"))
print(loadstring("f() = 1"))
print(loadstring("(a) = 1"))
print(loadstring("a.b:c = 1"))
