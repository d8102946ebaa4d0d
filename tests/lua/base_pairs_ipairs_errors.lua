-- pairs/ipairs require a table
print(pcall(function() return ipairs(nil) end))
print(pcall(function() return ipairs() end))
print(pcall(function() return pairs(nil) end))
print(pcall(function() return pairs("str") end))
print(pcall(function() for k in pairs(5) do end end))
