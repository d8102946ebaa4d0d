-- constant arithmetic computed at compile time matches runtime
local a, b = 7, 2
print(7 + 2, a + b)
print(7 - 2, a - b)
print(7 * 2, a * b)
print(7 / 2, a / b)
print(7 % 2, a % b)
print(7 ^ 2, a ^ b)
print(-7, -a)
print(2^0.5 == 2^0.5)
