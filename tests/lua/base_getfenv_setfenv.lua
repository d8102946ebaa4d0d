-- function environments: setfenv changes where globals are looked up
local function f() return value end
value = "global"
print(f())
local env = {value = "from env"}
setfenv(f, env)
print(f())
print(getfenv(f) == env, getfenv(print) == _G or getfenv(print))
local g = loadstring("y = 5 return y")
local genv = {}
setfenv(g, genv)
print(g(), genv.y, y)
print(getfenv() == _G, getfenv(0) == _G)
