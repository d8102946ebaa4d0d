-- string.char rejects values outside 0..255 and non-numbers
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, 65, 300))
print(pcall(string.char, "a"))
print(pcall(string.char, 65, nil))
print(pcall(string.char, {}))
print(pcall(function() return string.char(1, 2, 1000) end))
print(pcall(function() return string.char(65, "x") end))
