-- a method call on a nil value
print(pcall(function() local obj return obj:method() end))
print(pcall(function() return missing:method() end))
