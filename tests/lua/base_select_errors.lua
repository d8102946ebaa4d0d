-- select argument errors
print(pcall(function() return select(0, "a") end))
print(pcall(function() return select(-4, "a", "b", "c") end))
print(pcall(function() return select("x") end))
print(pcall(function() return select() end))
