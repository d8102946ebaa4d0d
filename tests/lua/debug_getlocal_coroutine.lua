-- Inspecting a suspended coroutine's stack.
local co = coroutine.create(function(a, b)
  local sum = a + b
  local function helper(x)
    local doubled = x * 2
    coroutine.yield(doubled)
  end
  helper(sum)
end)
print(coroutine.resume(co, 3, 4))
for level = 0, 3 do
  local info = debug.getinfo(co, level, "Sln")
  if info then
    print("level", level, info.what, info.currentline, info.name)
    local i = 1
    while true do
      local name, value = debug.getlocal(co, level, i)
      if not name then break end
      print("", name, type(value) == "function" and "function" or value)
      i = i + 1
    end
  else
    print("level", level, "none")
  end
end
print(pcall(debug.getlocal, co, 5, 1))
