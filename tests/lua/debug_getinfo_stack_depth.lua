-- Walking the stack with getinfo until it returns nil.
local function depth()
  local level = 1
  while debug.getinfo(level, "S") do level = level + 1 end
  return level - 1
end
local function rec(n) if n == 0 then return depth() end return (rec(n - 1)) end
print(depth())
print(rec(5))
print(pcall(depth))
local function walk()
  local level = 1
  while true do
    local i = debug.getinfo(level, "Sln")
    if not i then break end
    print(level, i.what, i.short_src, i.currentline, i.name, i.namewhat)
    level = level + 1
  end
end
local function outer() walk() end
pcall(outer)
local co = coroutine.wrap(function() walk() end)
co()
