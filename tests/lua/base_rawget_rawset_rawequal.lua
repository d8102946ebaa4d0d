-- raw access functions and their argument checks
local t = {}
print(rawset(t, "k", "v") == t, rawget(t, "k"), rawget(t, "missing"))
print(rawequal(t, t), rawequal(t, {}), rawequal("a", "a"), rawequal(1, 1.0))
print(pcall(function() return rawget(1, "k") end))
print(pcall(function() return rawset(t, nil, 1) end))
print(pcall(function() return rawset("s", 1, 1) end))
print(pcall(function() return rawequal(1) end))
print(pcall(function() return rawget(t) end))
