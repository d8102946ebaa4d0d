-- break exits the innermost loop only
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then break end
    print(i, j)
  end
end
local i = 0
while true do i = i + 1 if i > 4 then break end end
print(i)
repeat break until false
print("after repeat")
for k, v in ipairs({1, 2, 3}) do if v == 2 then break end print(v) end
