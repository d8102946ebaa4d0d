-- tostring of values whose text does not include an address
print(tostring(nil), tostring(true), tostring(false))
print(tostring(12), tostring(-1.5), tostring(1e100), tostring("str"))
print(type(tostring({})), type(tostring(print)), type(tostring(newproxy())))
local t = {}
print(tostring(t) == tostring(t), tostring(t) ~= tostring({}))
print(pcall(function() return tostring() end))
print(select('#', tostring(nil)))
