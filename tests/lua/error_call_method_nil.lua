-- calling a missing method
print(pcall(function() local obj = {} obj:m() end))
print(pcall(function() local obj = {} return obj:missing(1) end))
