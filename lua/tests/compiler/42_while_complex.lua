local i, n, t = 1, 10, {}
while i <= n and (t[i] == nil or t[i] > 0) do
  t[i] = i * i
  i = i + 1
end
while not done do
  done = i > 3
end
while f() do end
while (i > 0) do i = i - 1 end
while i < 10 or (i > 20 and i < 30) do i = i + 1 end
