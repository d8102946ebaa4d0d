-- package.seeall sets __index = _G on a table's metatable (creating one if needed)
local t = {}
print(package.seeall(t))
print(getmetatable(t).__index == _G, t.print == print)
local mt = {__newindex = function() end}
local u = setmetatable({}, mt)
package.seeall(u)
print(getmetatable(u) == mt, mt.__index == _G, u.type == type)
print(pcall(package.seeall))
print(pcall(package.seeall, "x"))
