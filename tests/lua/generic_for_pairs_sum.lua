-- pairs visits every key once (order independent check by summing)
local t = {10, 20, 30, x = 1, y = 2, z = 3}
local keys, sum = 0, 0
for k, v in pairs(t) do keys = keys + 1 sum = sum + v end
print(keys, sum)
local empty = 0
for k, v in pairs({}) do empty = empty + 1 end
print(empty)
