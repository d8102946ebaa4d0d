-- __len is honoured for userdata but ignored for tables in 5.1
local t = setmetatable({1, 2, 3}, {__len = function() return 99 end})
print(#t)
local u = newproxy(true)
getmetatable(u).__len = function(self) return 42 end
print(#u)
local v = newproxy(true)
print(pcall(function() return #v end))
