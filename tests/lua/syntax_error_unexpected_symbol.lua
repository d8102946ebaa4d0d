-- "unexpected symbol near" for bad expression starts
print(loadstring("x = )"))
print(loadstring("x = 1 +"))
print(loadstring("x = = 1"))
print(loadstring("f(,)"))
print(loadstring("local x = end"))
print(loadstring("return return"))
