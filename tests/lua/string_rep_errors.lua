-- string.rep argument errors
print(pcall(string.rep))
print(pcall(string.rep, "x"))
print(pcall(string.rep, "x", "y"))
print(pcall(string.rep, {}, 2))
print(pcall(function() return ("x"):rep() end))
print(pcall(function() return ("x"):rep({}) end))
