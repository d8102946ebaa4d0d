-- __eq is never called for values of different types
local calls = 0
local eq = function() calls = calls + 1 return true end
local t = setmetatable({}, {__eq = eq})
local u = newproxy(true)
getmetatable(u).__eq = eq
local u2 = newproxy(u)
print(t == u, u == t, calls)
print(u == u2, calls)
