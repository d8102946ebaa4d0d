-- floor, ceil, abs, including negative zero, infinities and numeric strings.
print(math.floor(3.7), math.floor(-3.7), math.floor(-0.5), math.floor(5))
print(math.ceil(3.2), math.ceil(-3.2), math.ceil(-0.5), math.ceil("1.2"))
print(math.abs(-3), math.abs(-0.0), math.abs(" -2 "), math.abs(-math.huge))
print(math.floor(2^60 + 0.5), math.floor(1e100), math.floor(-1/0), math.floor(0/0) ~= math.floor(0/0))
print(pcall(math.floor))
print(pcall(math.floor, "x"))
print(pcall(math.ceil, {}))
print(pcall(math.abs, nil))
