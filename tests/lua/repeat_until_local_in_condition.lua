-- the until condition can see locals declared in the loop body
local i = 0
repeat
  local done = i >= 3
  i = i + 1
until done
print(i)
local n = 0
repeat n = n + 1 until true
print(n)
