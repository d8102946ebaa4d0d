-- calling locals and upvalues that are not functions
print(pcall(function() local f = 1 f() end))
local up = "str"
print(pcall(function() up() end))
print(pcall(function() local t = {} t() end))
