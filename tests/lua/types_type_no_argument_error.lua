-- type() requires an argument
print(pcall(function() return type() end))
print(pcall(type))
print(type(nil))
print(select('#', type(nil)))
