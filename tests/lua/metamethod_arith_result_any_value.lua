-- metamethods can return any value, including multiple (truncated to one)
local mt = {__add = function() return nil, "extra" end, __mul = function() return {} end}
local a = setmetatable({}, mt)
print(a + 1)
print(type(a * 2))
print(select('#', a + 1))
