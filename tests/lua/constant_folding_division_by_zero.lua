-- constant expressions that must not be folded into errors
print(1/0, -1/0)
print(0/0 ~= 0/0)
local nan = 0/0
print(nan == nan, nan ~= nan)
print(1/0 > 1e308, -1/0 < -1e308)
print(5 % 0 ~= 5 % 0)
