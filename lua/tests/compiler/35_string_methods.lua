local s = "Hello, World"
print(s:upper(), s:lower(), s:len(), s:sub(1, 5), s:rep(2, ", "))
print(("x"):rep(3), #s, s:byte(1), string.char(72, 105))
local parts = {}
for word in s:gmatch("%w+") do parts[#parts + 1] = word:reverse() end
local r = s:gsub("o", "0"):gsub("l", "1")
local fmt = string.format("%5.2f|%-5s|%05d|%x", 3.14159, "ab", 42, 255)
print(r, fmt, s:find("World", 1, true), s:match("(%a+), (%a+)"))
