-- arithmetic error naming fields and upvalues
local up = {}
print(pcall(function() return up + 1 end))
print(pcall(function() local t = {} return t.count + 1 end))
print(pcall(function() local t = {n = "x"} return t.n * 2 end))
