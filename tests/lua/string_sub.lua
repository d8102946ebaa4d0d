-- string.sub: positive, negative, zero and out-of-range indices
local s = "hello world"
print(s:sub(1, 5), s:sub(7), s:sub(-5), s:sub(-5, -3))
print(s:sub(0), s:sub(0, 0) == "", s:sub(5, 4) == "", s:sub(100) == "")
print(s:sub(-100, 3), s:sub(3, 100), s:sub(-100, -100) == "")
print(s:sub(2.7, 4.2))
print(string.sub(12345, 2, 3))
print(s:sub("2", "3"))
print(s:sub(-1), s:sub(-1, -1), s:sub(11, 11), s:sub(12, 12) == "")
print(("a\0b\0c"):sub(2, 4):byte(1, -1))
print(s:sub(1, -12) == "", s:sub(1, -11))
print(s:sub(-2^53, 2^53))
