-- calling a nil global
print(pcall(function() f() end))
print(pcall(function() return notafunction(1, 2) end))
