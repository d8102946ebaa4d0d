-- Sorting items stored in the hash part (filled backwards) and a table with a length border.
local t = {}
for i = 20, 1, -1 do t[i] = (i * 7) % 20 end
table.sort(t)
print(#t, table.concat(t, " "))
local s = {}
s[3] = "c" s[1] = "a" s[2] = "b" s[4] = "0"
table.sort(s, function(a, b) return a > b end)
print(table.concat(s, " "))
local u = {10, 9, 8, x = "ignored", [0] = 100}
table.sort(u)
print(table.concat(u, " "), u[0], u.x)
