-- math.random() floats after seeding: rand() % RAND_MAX / RAND_MAX printed with %.14g.
math.randomseed(2024)
for i = 1, 8 do print(math.random()) end
math.randomseed(1)
print(math.random(), math.random(1e9), math.random(-1e9, 1e9))
