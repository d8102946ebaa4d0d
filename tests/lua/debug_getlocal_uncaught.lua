-- An uncaught bad-argument error from the debug library.
local function f()
  debug.getlocal(40, 1)
end
f()
