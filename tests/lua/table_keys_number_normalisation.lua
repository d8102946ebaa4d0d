-- keys 1 and 1.0 are the same; "1" is different; booleans are keys too
local t = {}
t[1] = "int"
t[1.0] = "float"
t["1"] = "string"
t[true] = "yes"
t[false] = "no"
print(t[1], t["1"], t[true], t[false])
t[2^53] = "big"
print(t[2^53])
local f = function() end
t[f] = "function key"
print(t[f])
local n = 0
for k in pairs(t) do n = n + 1 end
print(n)
