-- __index as a table, including chains
local base = {greet = "hello", x = 1}
local mid = setmetatable({y = 2}, {__index = base})
local obj = setmetatable({}, {__index = mid})
print(obj.greet, obj.x, obj.y, obj.z)
obj.x = 10
print(obj.x, mid.x, base.x)
print(rawget(obj, "greet"), rawget(obj, "x"))
