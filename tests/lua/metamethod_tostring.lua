-- tostring and print honour __tostring
local t = setmetatable({}, {__tostring = function(self) return "<my object>" end})
print(t)
print(tostring(t))
print("a", t, "b")
local n = setmetatable({}, {__tostring = function() return 42 end})
print(tostring(n), type(tostring(n)))
local u = newproxy(true)
getmetatable(u).__tostring = function() return "userdata!" end
print(u)
