-- indexing a nil local names the variable
print(pcall(function() local t = nil return t.x end))
print(pcall(function() local t return t[1] end))
print(pcall(function() local t t.x = 1 end))
