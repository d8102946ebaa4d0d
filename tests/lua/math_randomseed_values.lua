-- randomseed: zero, negative, fractional and large seeds (C int conversion, srand(0) = srand(1)).
for _, seed in ipairs({0, 1, -1, -7, 3.9, 2^31 + 5, 2^32 + 3, 123456789, "77"}) do
  math.randomseed(seed)
  print(seed, math.random(1, 1000), math.random(1, 1000))
end
print(select("#", math.randomseed(1)))
print(pcall(math.randomseed))
print(pcall(math.randomseed, "x"))
print(pcall(math.randomseed, {}))
