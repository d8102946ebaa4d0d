-- unpack argument errors
print(pcall(function() return unpack(nil) end))
print(pcall(function() return unpack("abc") end))
print(pcall(function() return unpack({}, 1, 1e8) end))
