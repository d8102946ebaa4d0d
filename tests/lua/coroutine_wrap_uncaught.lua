-- An error through a wrapped coroutine ends the program with the wrap caller's position.
local gen = coroutine.wrap(function()
  coroutine.yield(1)
  error("generator broke")
end)
print(gen())
print(gen())
