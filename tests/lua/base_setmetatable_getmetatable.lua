-- setmetatable returns its first argument; getmetatable reads it back
local mt = {}
local t = {}
print(setmetatable(t, mt) == t, getmetatable(t) == mt)
print(setmetatable(t, nil) == t, getmetatable(t))
print(getmetatable({}), getmetatable(1), getmetatable(nil), getmetatable(print))
