-- numeric for with fractional bounds and steps
for i = 0, 1, 0.25 do print(i) end
for i = 1, 0, -0.5 do print(i) end
for i = 0.5, 2.5 do print(i) end
local n = 0
for i = 0, 1, 0.1 do n = n + 1 end
print(n)
