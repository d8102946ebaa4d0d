-- __lt and __le implement ordering; > and >= swap the operands
local mt = {}
mt.__lt = function(a, b) print("lt", a.v, b.v) return a.v < b.v end
mt.__le = function(a, b) print("le", a.v, b.v) return a.v <= b.v end
local x, y = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(x < y)
print(x > y)
print(x <= y)
print(x >= y)
