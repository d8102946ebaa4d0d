-- __call is used for tables; the handler must itself be a function
local inner = setmetatable({}, {__call = function() return "inner" end})
local outer = setmetatable({}, {__call = inner})
print(pcall(function() return outer() end))
local ok = setmetatable({}, {__call = function(self, ...) return select('#', ...) end})
print(ok(), ok(nil), ok(1, 2, 3))
