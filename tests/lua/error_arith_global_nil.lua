-- arithmetic on a nil global
print(pcall(function() return x + 1 end))
print(pcall(function() return 1 - y end))
print(pcall(function() return -z end))
