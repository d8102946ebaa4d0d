local a, b = "a", "b"
local s1 = a .. b
local s2 = a .. b .. a .. b
local s3 = "x" .. a:upper() .. tostring(1) .. b
local s4 = (a .. b) .. (a .. b)
local s5 = a .. 1 + 2 .. b
local s6 = a .. #b .. -1
local t = {}
t.s = t.s .. a
local s7 = a .. (b .. a)
print(s1 .. s2 .. s3 .. s4 .. s5 .. s6 .. s7)
