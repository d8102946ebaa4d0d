-- Local names come from the function's debug info; other live slots are temporaries.
local function locals(level)
  local i = 1
  while true do
    local name, value = debug.getlocal(level + 1, i)
    if not name then break end
    if type(value) == "function" or type(value) == "table" then value = type(value) end
    print("", i, name, value)
    i = i + 1
  end
end
local function f(a, b, ...)
  local c = a * 2
  do
    local inner = "scoped"
    locals(1)
  end
  print("after block")
  locals(1)
  for i = 1, 1 do
    print("numeric for")
    locals(1)
  end
  for k, v in pairs({ x = 1 }) do
    print("generic for")
    locals(1)
  end
  return c
end
f(10, 20, 30, 40)
print("main")
locals(1)
print(debug.getlocal(1, 0))
print(debug.getlocal(1, -1))
print(debug.getlocal(1, 1000))
