-- hexadecimal and exponent number literals
print(0xff, 0XFF, 0x10, 0xA, 0xdeadbeef)
print(1e3, 2E-2, 1e+2, 5e0, 1E10)
print(3.5e2, .5e1, 0.0e0)
print(0x0, 0x7fffffff)
