-- setlocal changes a caller's locals; returns the name, or nil past the last slot.
local function set_in_caller(index, value)
  return debug.setlocal(2, index, value)
end
local function host()
  local a, b = 1, 2
  print(set_in_caller(1, "one"), set_in_caller(2, "two"))
  print(a, b)
  print(set_in_caller(200, 0))
end
host()
local function g()
  local x = 5
  local name = debug.setlocal(1, 1, 50)
  print(name, x)
end
g()
local co = coroutine.create(function(v)
  local w = v
  coroutine.yield()
  print("in coroutine", v, w)
end)
coroutine.resume(co, "original")
print(debug.setlocal(co, 1, 1, "changed"))
print(debug.setlocal(co, 1, 2, "also"))
coroutine.resume(co)
