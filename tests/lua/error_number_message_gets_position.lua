-- numbers raised with error are strings after position is added
print(pcall(function() error(42) end))
print(pcall(function() error(42, 0) end))
local ok, e = pcall(function() error(42) end)
print(type(e))
local ok2, e2 = pcall(function() error(42, 0) end)
print(type(e2))
