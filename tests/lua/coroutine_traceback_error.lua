-- An error inside a coroutine: message, traceback taken inside, dead afterwards.
local function fail(x) error("failed with " .. x) end
local co = coroutine.create(function(x)
  local ok, tb = xpcall(function() fail(x) end, debug.traceback)
  coroutine.yield(tb)
  fail(x + 1)
end)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(coroutine.status(co))
print(debug.traceback(co))
print(coroutine.resume(co))
