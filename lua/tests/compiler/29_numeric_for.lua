for i = 1, 10 do end
for i = 0.5, 3.5, 0.5 do print(i) end
for i = #arg, 1, -1 do print(arg[i]) end
local n = 10
for i = n, n * 2, n / 5 do local sq = i * i end
for i = f(), g(), h() do print(i) end
for i = 1, 3 do
  local i = i * 2
  print(i)
end
for i = 1, 2 do for j = i, 2 do for k = j, 2 do print(i, j, k) end end end
