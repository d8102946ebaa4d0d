for i = 1, 10 do print(i) end
for i = 10, 1, -1 do print(i) end
for k, v in pairs({1, 2, 3}) do print(k, v) end
for k in next, {} do end
local i = 0
while i < 10 do
  i = i + 1
  if i == 5 then break end
end
repeat
  local j = i
  i = i - 1
until j < 3
while true do break end
