-- concatenation errors name the variable
print(pcall(function() local x = true return "a" .. x end))
print(pcall(function() local x = {} return x .. "a" end))
print(pcall(function() return "a" .. undefined end))
print(pcall(function() local t = {} return t.f .. "x" end))
print(pcall(function() local a, b, c = "a", nil, "c" return a .. b .. c end))
