-- exp, log (5.1 ignores a second argument), log10, pow, sqrt, huge.
print(math.exp(0), math.exp(1), math.exp(710), math.exp(-1000))
print(math.log(1), math.log(10), math.log(8, 2), math.log(0), math.log(-1))
print(math.log10(1000), math.log10(2), math.log10(0))
print(math.pow(2, 10), math.pow(2, 0.5), math.pow(-8, 1 / 3), math.pow(0, 0), math.pow(2, -1074))
print(math.sqrt(2), math.sqrt(-1), math.sqrt(math.huge), math.sqrt(-0.0))
print(math.huge, -math.huge, math.huge == 1 / 0)
print(pcall(math.pow, 2))
print(pcall(math.log))
