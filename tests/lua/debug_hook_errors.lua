-- Errors raised in hooks propagate to the hooked code.
local ok, err = pcall(function()
  debug.sethook(function(e, l) debug.sethook(); error("line hook failed at " .. l) end, "l")
  local a = 1
end)
print(ok, err)
print(debug.gethook())
local ok2, err2 = pcall(function()
  debug.sethook(function() debug.sethook(); error({}) end, "c")
  print("not reached")
end)
print(ok2, type(err2))
-- hooks work again after an error
local n = 0
debug.sethook(function() n = n + 1 end, "l")
local x = 1
local y = 2
debug.sethook()
print(n)
