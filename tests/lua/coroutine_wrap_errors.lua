-- Errors through coroutine.wrap get the caller's position prepended (auxwrap).
local w = coroutine.wrap(function() error("boom") end)
local ok, e = pcall(function() local x = w() return x end)
print(ok, e)
local w = coroutine.wrap(function() error("boom", 0) end)
local ok, e = pcall(function() local x = w() return x end)
print(ok, e)
local w = coroutine.wrap(function() error(42, 0) end)
local ok, e = pcall(function() local x = w() return x end)
print(ok, e, type(e))
local w = coroutine.wrap(function() error({}) end)
local ok, e = pcall(function() local x = w() return x end)
print(ok, type(e))
local w = coroutine.wrap(function() return 1, 2, 3 end)
print(w())
local ok, e = pcall(function() local x = w() return x end)
print(ok, e)
print(pcall(w))
-- wrap passes arguments and yields values
local acc = coroutine.wrap(function(a)
  local total = a
  while true do
    total = total + coroutine.yield(total)
  end
end)
print(acc(1), acc(2), acc(3), acc(4))
-- a wrap calling itself is running
local self
self = coroutine.wrap(function() return self() end)
print(pcall(self))
