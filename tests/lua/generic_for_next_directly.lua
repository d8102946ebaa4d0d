-- "for k, v in next, t" works like pairs
local t = {5, 6, 7}
local s = 0
for k, v in next, t do s = s + k * v end
print(s)
