-- comparison metamethods are not used for mixed types, nor for different handlers
local mt = {__lt = function() return true end}
local a = setmetatable({}, mt)
print(pcall(function() return a < 1 end))
print(pcall(function() return 1 < a end))
local b = setmetatable({}, {__lt = function() return false end})
print(pcall(function() return a < b end))
local c = setmetatable({}, mt)
print(a < c, c < a)
