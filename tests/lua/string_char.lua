-- string.char: bytes from numbers, truncation, and the empty call
print(string.char(72, 105))
print(string.char())
print(#string.char())
print(string.char(65.9, 66.1))
print(string.char("67", "0x44"))
print(string.char(0, 255):byte(1, -1))
print(#string.char(0, 0, 0))
print(string.char(2^32 + 69))
local t = {}
for i = 97, 122 do t[#t + 1] = i end
print(string.char(unpack(t)))
