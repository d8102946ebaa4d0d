local a = 1
local b = 2

print(a
+ b)
local c = 3


local d = "x\
y"
print(c, d)
