-- error() without arguments raises nil
print(pcall(error))
print(pcall(function() error() end))
local ok, e = pcall(function() error(nil) end)
print(ok, e, type(e))
