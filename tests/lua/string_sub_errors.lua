-- string.sub argument errors
print(pcall(string.sub))
print(pcall(string.sub, "abc"))
print(pcall(string.sub, "abc", "x"))
print(pcall(string.sub, "abc", 1, "y"))
print(pcall(string.sub, nil, 1))
print(pcall(function() return ("abc"):sub() end))
print(pcall(function() return ("abc"):sub({}) end))
