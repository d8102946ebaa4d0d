for i = 1, 3 do
  for j = 1, 3 do
    local x = i * j
    local f = function() return x end
    if x > 4 then break end
    if f() == 2 then break end
  end
end
while true do
  local a = 1
  do
    local b = 2
    local g = function() return a + b end
    if g() then break end
  end
end
repeat
  local c = 3
  if c then break end
  local h = function() return c end
until false
for k, v in pairs({}) do
  local function inner() return k, v end
  if inner then break end
end
