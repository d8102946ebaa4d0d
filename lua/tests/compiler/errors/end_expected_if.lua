local a = 1

if a then
  print(a)
