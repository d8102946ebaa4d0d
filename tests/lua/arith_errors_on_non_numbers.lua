-- arithmetic on non-numbers is an error
print(pcall(function() return {} + 1 end))
print(pcall(function() return 1 + nil end))
print(pcall(function() return true * 2 end))
print(pcall(function() return -{} end))
print(pcall(function() return "a" % 2 end))
print(pcall(function() return print ^ 2 end))
