-- an upvalue outlives its block and keeps its last value
local get, set
do
  local x = 1
  get = function() return x end
  set = function(v) x = v end
  x = 2
end
print(get())
set(42)
print(get())
