-- calling a missing field
print(pcall(function() local t = {} t.g() end))
print(pcall(function() local t = {a = {}} t.a.b() end))
