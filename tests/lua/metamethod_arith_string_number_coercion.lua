-- numeric strings use plain arithmetic; metamethods only for non-numbers
local mt = {__add = function(a, b) return "meta" end}
local s = setmetatable({}, mt)
print("1" + "2", "1" + 2)
print(s + "x", "x" + s)
print(pcall(function() return "x" + 1 end))
