-- "'=' expected" and "'(' expected" errors
print(loadstring("x"))
print(loadstring("local t = {} t.x"))
print(loadstring("for i 1, 2 do end"))
print(loadstring("function f x end"))
print(loadstring("x y"))
