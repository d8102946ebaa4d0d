-- usual arithmetic precedence and left associativity
print(1 + 2 * 3, (1 + 2) * 3)
print(10 - 4 - 3, 10 - (4 - 3))
print(64 / 4 / 2, 64 / (4 / 2))
print(7 % 4 * 2, 2 * 7 % 4)
print(-3 + 5, - - 3, -(-3))
print(2 * 3 ^ 2, (2 * 3) ^ 2)
