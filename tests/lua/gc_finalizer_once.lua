-- __gc runs once for a collected userdata and receives the userdata
local count = 0
do
  local p = newproxy(true)
  getmetatable(p).__gc = function(u) count = count + 1; print("gc", type(u)) end
end
collectgarbage()
collectgarbage()
collectgarbage()
print("finalized", count)
-- a proxy sharing the metatable is finalized too
local mt
do
  local a = newproxy(true)
  mt = getmetatable(a)
  mt.__gc = function() count = count + 1 end
  local b = newproxy(a)
end
collectgarbage()
collectgarbage()
print("finalized", count)
