-- Tracebacks of other threads start at level 0.
local co = coroutine.create(function(x)
  local function deep(n)
    if n == 0 then coroutine.yield("bottom") end
    deep(n - 1)
  end
  deep(x)
end)
print(debug.traceback(co))
coroutine.resume(co, 3)
print(debug.traceback(co))
print(debug.traceback(co, "message"))
print(debug.traceback(co, "from 2", 2))
print(debug.traceback(co, nil))
coroutine.resume(co)
print(coroutine.status(co), debug.traceback(co))
-- inside a coroutine, the traceback stops at the coroutine's body
local inner = coroutine.wrap(function() print(debug.traceback("inside")) end)
inner()
print(debug.traceback(coroutine.create(function() end)))
-- error with traceback inside a coroutine
local co2 = coroutine.create(function()
  return xpcall(function() local x = nil; return x.field end, debug.traceback)
end)
print(coroutine.resume(co2))
