-- -0 behaves like 0 in comparisons
print(-0 == 0, 0 == -0)
local z = 0
print(-z == z)
print(1/(-0) < 0 or 1/(-0) > 0)
print(3 - 3, 0 * -1 == 0)
