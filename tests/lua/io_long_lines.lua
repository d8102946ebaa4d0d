-- lines longer than the 8 KiB read buffer come back whole
local piece = "0123456789abcdef"
for i = 1, 10 do piece = piece .. piece end
local t = io.tmpfile()
t:write(piece, "\n", piece, piece, "\nshort\n", piece)
t:seek("set")
local a, b, c, d, e = t:read("*l", "*l", "*l", "*l", "*l")
print(#a, #b, c, #d, e)
print(a == piece, b == piece .. piece, d == piece)
t:seek("set")
local n = 0
for l in t:lines() do n = n + #l end
print(n)
t:close()
