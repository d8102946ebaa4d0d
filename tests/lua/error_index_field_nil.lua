-- indexing a nil field names the field
print(pcall(function() local t = {} return t.y.z end))
print(pcall(function() local t = {a = {}} return t.a.b.c end))
print(pcall(function() local t = {} t.y.z = 1 end))
