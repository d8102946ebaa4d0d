-- getinfo by level: every field, for Lua functions, the main chunk and C functions.
local function show(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  for i = 2, #keys do
    local j = i
    while j > 1 and keys[j - 1] > keys[j] do
      keys[j - 1], keys[j] = keys[j], keys[j - 1]
      j = j - 1
    end
  end
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "function" or type(v) == "table" then v = type(v) end
    print("", k, v)
  end
end
local up = 1
local function f(a, b)
  local c = a + b + up
  print("level 1")
  show(debug.getinfo(1))
  print("level 2")
  show(debug.getinfo(2))
  print("level 0")
  show(debug.getinfo(0))
  print("level 3")
  show(debug.getinfo(3, "Slnu"))
  print("level 4", debug.getinfo(4))
  return c
end
f(1, 2)
print(debug.getinfo(1, "f").func == nil)
local function g() return debug.getinfo(1, "f").func end
print(g() == g)
