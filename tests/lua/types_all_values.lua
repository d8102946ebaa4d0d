-- type() of every kind of value
print(type(nil), type(true), type(false), type(0), type(1.5))
print(type(""), type("x"), type({}), type(print), type(function() end))
print(type(newproxy()), type(type), type(type(nil)))
print(type(_G), type(_VERSION))
