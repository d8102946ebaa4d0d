-- indexing numbers, booleans and functions (no metatable) is an error
print(pcall(function() local n = 5 return n.foo end))
print(pcall(function() local b = true return b[1] end))
print(pcall(function() local f = print return f.x end))
print(pcall(function() local n = 5 n.foo = 1 end))
