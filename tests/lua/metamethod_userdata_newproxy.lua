-- newproxy(true) makes a userdata with an empty metatable; newproxy(u) shares it
local u = newproxy(true)
local mt = getmetatable(u)
print(type(u), type(mt))
mt.__index = function(self, k) return "ud." .. k end
print(u.field)
local v = newproxy(u)
print(getmetatable(v) == mt, v.other)
print(getmetatable(newproxy()), getmetatable(newproxy(false)))
