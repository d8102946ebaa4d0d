-- string.dump only dumps Lua functions
print(pcall(string.dump))
print(pcall(string.dump, 1))
print(pcall(string.dump, "x"))
print(pcall(string.dump, {}))
print(pcall(string.dump, print))
print(pcall(string.dump, string.dump))
print(pcall(function() return string.dump(nil) end))
