-- 'goto' is not a keyword in Lua 5.1
local goto = 5
print(goto + 1)
local t = {goto = "field"}
print(t.goto)
