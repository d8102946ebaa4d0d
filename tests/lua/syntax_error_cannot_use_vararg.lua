-- ... outside a vararg function
print(loadstring("function f() return ... end"))
print(loadstring("local function f(a) local t = {...} end"))
print(type(loadstring("return ...")))
