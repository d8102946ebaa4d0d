-- Trigonometric and hyperbolic functions, deg/rad, pi.
print(math.pi, math.sin(1), math.cos(1), math.tan(1))
print(math.asin(0.5), math.acos(0.5), math.atan(1), math.asin(2))
print(math.atan2(1, -1), math.atan2(-0.0, -1), math.atan2(0, 0), math.atan2(1, 0))
print(math.sinh(1), math.cosh(1), math.tanh(1), math.tanh(1000))
print(math.deg(math.pi), math.rad(180), math.deg(1), math.rad(1))
print(math.sin(0), math.sin(-0.0), math.cos(math.huge))
print(pcall(math.atan2, 1))
print(pcall(math.sin))
