-- calling a value that has no name
print(pcall(function() ({})() end))
print(pcall(function() local function f() end f()() end))
print(pcall(function() (nil)() end))
