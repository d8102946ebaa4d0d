-- without __le, a <= b is computed as not (b < a)
local mt = {__lt = function(a, b) print("lt", a.v, b.v) return a.v < b.v end}
local x, y = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(x <= y)
print(y <= x)
print(x >= y)
local nolt = setmetatable({}, {})
print(pcall(function() return nolt <= nolt end))
