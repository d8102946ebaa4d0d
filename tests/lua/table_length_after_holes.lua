-- # on arrays built sequentially and after removing from the end
local t = {}
for i = 1, 10 do t[#t + 1] = i end
print(#t)
t[10] = nil
t[9] = nil
print(#t)
local u = {n = 3}
u[1] = "a"
print(#u)
