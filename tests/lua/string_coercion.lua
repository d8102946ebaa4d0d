-- string functions accept numbers where strings are expected and vice versa
print(string.len(100), string.upper(1e3), string.sub(123456, 2, -2))
print(string.rep(1, 3), string.reverse(120), string.byte(9))
print(string.find(1234, 23), string.match(3.25, "%.(%d+)"))
print(string.gsub(1000, 0, 1))
print(string.format("%s|%d|%5.1f", 12, "12", "1.25"))
print(("x"):rep("2"), ("abc"):sub("2"), ("abc"):byte("-1"))
print(string.char("65", 66.0))
for d in string.gmatch(2^10, "%d") do io = io end
print(pcall(string.rep, "x", "two"))
print(pcall(string.sub, "abc", "1x"))
