-- modifying the loop variable does not affect iteration; bounds evaluated once
for i = 1, 3 do
  local j = i
  i = i * 10
  print(j, i)
end
local limit = 3
for i = 1, limit do
  limit = 10
  print("i", i)
end
print(i)
