-- "*a" reads the rest, and gives "" (never nil) at end of file
local f = io.open("fixtures/io_lines.txt")
print(f:read(6))
local rest = f:read("*a")
print(#rest, "[" .. rest .. "]")
print("[" .. f:read("*a") .. "]", "[" .. f:read("*all") .. "]")
print(f:read("*l"), f:read(0))
f:close()
local t = io.tmpfile()
local big = "0123456789"
for i = 1, 12 do big = big .. big end
t:write(big, "tail")
t:seek("set")
local all = t:read("*a")
print(#all, all == big .. "tail")
t:close()
