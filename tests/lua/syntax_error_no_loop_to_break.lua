-- break outside a loop
print(loadstring("break"))
print(loadstring("if true then break end"))
print(loadstring("local function f() break end"))
print(type(loadstring("while true do local function f() end break end")))
print(loadstring("while true do local function f() break end end"))
