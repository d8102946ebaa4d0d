-- 200000 strings built by concatenation and discarded
local total = 0
local keep
for i = 1, 200000 do
  local s = "item-" .. i .. "-" .. (i * 2)
  total = total + #s
  if i % 50000 == 0 then keep = s end
end
print(total, keep)
