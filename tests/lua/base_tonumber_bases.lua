-- tonumber with an explicit base between 2 and 36
print(tonumber("ff", 16), tonumber("FF", 16), tonumber("11", 2), tonumber("777", 8))
print(tonumber("zz", 36), tonumber("Zz", 36), tonumber("10", 36), tonumber("9", 10))
print(tonumber("8", 8), tonumber("2", 2), tonumber("g", 16))
print(tonumber(" 101 ", 2), tonumber("", 16), tonumber("1 1", 2))
print(tonumber(10, 16), tonumber("1.5", 10))
print(pcall(function() return tonumber("1", 1) end))
print(pcall(function() return tonumber("1", 37) end))
