-- Yields from deep inside nested Lua calls, and coroutines resuming coroutines.
local function walk(t)
  if type(t) == "table" then
    for i = 1, #t do walk(t[i]) end
  else
    coroutine.yield(t)
  end
end
local tree = {1, {2, {3, {4, 5}}, 6}, {{{7}}}}
for leaf in coroutine.wrap(function() walk(tree) end) do
  print("leaf", leaf)
end

-- a chain of coroutines, each resuming the next
local function chain(n)
  if n == 0 then
    return coroutine.create(function(x) coroutine.yield(x * 2); return "bottom" end)
  end
  local below = chain(n - 1)
  return coroutine.create(function(x)
    local ok, v = coroutine.resume(below, x + 1)
    coroutine.yield(v)
    local ok2, w = coroutine.resume(below)
    return w .. " via " .. n
  end)
end
local top = chain(5)
print(coroutine.resume(top, 0))
print(coroutine.resume(top))
print(coroutine.resume(top))

-- closures over a coroutine's locals survive it
local getters = {}
local co = coroutine.wrap(function()
  for i = 1, 3 do
    local v = i * 10
    getters[i] = function() return v end
    coroutine.yield()
  end
end)
co() co() co()
print(getters[1](), getters[2](), getters[3]())

-- upvalue shared between coroutine and main thread while open
local shared = 0
local inc = coroutine.wrap(function()
  local own = 0
  local function bump() own = own + 1; shared = shared + own end
  while true do bump(); coroutine.yield(own) end
end)
print(inc(), inc(), inc(), shared)
