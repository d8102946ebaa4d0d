-- A comparator that writes to the table being sorted: 5.1 keeps the values it already read.
local t = {}
for i = 1, 12 do t[i] = (i * 5) % 12 end
local calls = 0
table.sort(t, function(a, b)
  calls = calls + 1
  if calls == 5 then t[3] = 100 end
  if calls == 9 then t[10] = -1 end
  return a < b
end)
print(calls, table.concat(t, " "))
t = {5, 1, 4, 2, 3, 9, 7, 8, 6}
table.sort(t, function(a, b)
  t[#t + 1] = nil
  return a > b
end)
print(table.concat(t, " "))
