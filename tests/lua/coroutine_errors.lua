-- Errors inside coroutines and misuse of the library.
local co = coroutine.create(function(x)
  coroutine.yield(x)
  error("oops")
end)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))

local co = coroutine.create(function() error({code = 7}) end)
local ok, e = coroutine.resume(co)
print(ok, type(e), e.code)

local co = coroutine.create(function() error("no position", 0) end)
print(coroutine.resume(co))
local co = coroutine.create(function() local t = nil; return t.x end)
print(coroutine.resume(co))

-- resuming oneself, or a normal coroutine
local self
self = coroutine.create(function() return coroutine.resume(self) end)
print(coroutine.resume(self))
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function() return coroutine.resume(outer) end)
  return coroutine.resume(inner)
end)
print(coroutine.resume(outer))

print(pcall(coroutine.create, print))
print(pcall(coroutine.create, 42))
print(pcall(coroutine.create))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.resume))
print(pcall(coroutine.status, {}))
print(pcall(coroutine.wrap, "x"))
print(select("#", coroutine.running()))
