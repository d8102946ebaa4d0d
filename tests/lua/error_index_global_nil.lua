-- indexing a nil global names the global
print(pcall(function() return x.y end))
print(pcall(function() undefined_global.field = 1 end))
