-- an object resurrected by its finalizer stays valid, and __gc is not called again
local saved, calls = nil, 0
do
  local p = newproxy(true)
  local mt = getmetatable(p)
  mt.__gc = function(u) calls = calls + 1; saved = u end
  mt.__index = function(u, k) return k .. "!" end
end
collectgarbage(); collectgarbage()
print(type(saved), saved.hello, calls)
saved = nil
collectgarbage(); collectgarbage()
print("calls", calls)
