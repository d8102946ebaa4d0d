local i = 0
repeat
  local x = i
  local f = function() return x end
  i = i + 1
until f() >= 3
repeat
  local y = i
until y > 10
repeat local z = 1 until z
repeat until true
repeat
  local a = {}
  local function g() return a end
  if g then break end
until a.done
