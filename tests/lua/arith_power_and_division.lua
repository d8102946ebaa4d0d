-- ^ and / always produce floating point results
print(2^10, 2^0.5 * 2^0.5 == 2, 4^0.5, 10^-2, (-8)^2, 0^0)
print(7 / 2, -7 / 2, 1 / 3 * 3 == 1, 6 / 3)
print(2^-1074 > 0, 2^1024)
