-- Errors name the function as called (global field, local, method).
print(pcall(function() math.floor("a") end))
print(pcall(function() local f = math.sqrt f(nil) end))
print(pcall(function() local m = {f = math.abs} m.f({}) end))
print(pcall(function() return math.max(1, {}) end))
