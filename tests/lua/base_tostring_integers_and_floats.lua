-- number to string conversion for integral and fractional values
print(tostring(0), tostring(-0.5), tostring(1.0), tostring(-7.0))
print(tostring(2^31), tostring(2^32), tostring(2^52 + 1), tostring(1e15 + 0.5))
print(tostring(0.5), tostring(1/8), tostring(1e-10), tostring(123.456))
