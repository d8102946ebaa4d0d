-- a % b == a - floor(a/b)*b: result has the sign of b
print(5 % 3, -5 % 3, 5 % -3, -5 % -3)
print(5.5 % 2, -5.5 % 2, 5.5 % -2)
print(0 % 5, 3 % 1, 0.75 % 0.5)
print(2^53 % 2, 10 % 2.5)
