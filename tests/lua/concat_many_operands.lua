-- one concatenation expression with many operands, mixing numbers and strings
local a, b, c = "a", 2, "c"
local s = a .. b .. c .. a .. b .. c .. a .. b .. c .. a .. b .. c .. a .. b .. c .. a .. b .. c .. 1.5 .. "end"
print(s, #s)
local parts = ""
for i = 1, 20 do parts = parts .. i .. (i < 20 and "," or "") end
print(parts)
