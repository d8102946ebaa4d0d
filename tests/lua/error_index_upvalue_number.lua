-- indexing an upvalue names it
local u = 5
print(pcall(function() return u.x end))
local s = "str"
local b = false
print(pcall(function() return b.x end))
