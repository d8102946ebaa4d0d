local function f(x)
  do return x end
end
local function g(x)
  if x then
    return 1
  end
  do
    local y = 2
    return y
  end
end
local function h()
  for i = 1, 10 do
    if i > 5 then return i end
  end
  while true do return end
end
