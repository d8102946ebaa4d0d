-- Hooks belong to one thread: coroutines do not inherit them.
local main_lines = 0
debug.sethook(function() main_lines = main_lines + 1 end, "l")
local co = coroutine.wrap(function()
  local a = 1
  local b = 2
  return a + b
end)
local r = co()
debug.sethook()
print(r, main_lines)
local co2 = coroutine.create(function(x)
  local y = x + 1
  coroutine.yield(y)
  return y * 2
end)
local lines = {}
debug.sethook(co2, function(e, l) lines[#lines + 1] = e .. ":" .. tostring(l) end, "crl")
print(coroutine.resume(co2, 1))
print(coroutine.resume(co2))
print(unpack(lines))
print(debug.gethook())
