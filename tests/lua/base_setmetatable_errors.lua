-- setmetatable and getmetatable argument errors
print(pcall(function() return setmetatable({}, 1) end))
print(pcall(function() return setmetatable({}) end))
print(pcall(function() return setmetatable(1, {}) end))
print(pcall(function() return setmetatable(nil, {}) end))
print(pcall(function() return getmetatable() end))
