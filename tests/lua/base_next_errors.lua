-- next argument errors
print(pcall(function() return next({}, "nokey") end))
print(pcall(function() return next({a = 1}, "b") end))
print(pcall(function() return next(nil) end))
print(pcall(function() return next() end))
