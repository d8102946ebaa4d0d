-- getupvalue/setupvalue on Lua closures; C functions show none.
local count, label = 0, "lbl"
local function counter()
  count = count + 1
  return count, label
end
local i = 1
while true do
  local name, value = debug.getupvalue(counter, i)
  if not name then break end
  print(i, name, value)
  i = i + 1
end
print(debug.setupvalue(counter, 1, 41))
print(counter())
print(count)
print(debug.setupvalue(counter, 2, "new"))
print(label)
print(debug.getupvalue(counter, 3))
print(debug.getupvalue(counter, 0))
print(select("#", debug.getupvalue(print, 1)))
print(select("#", debug.setupvalue(print, 1, 2)))
print(select("#", debug.getupvalue(counter, 5)))
-- closed upvalue
local function make()
  local hidden = "secret"
  return function() return hidden end
end
local c = make()
print(debug.getupvalue(c, 1))
debug.setupvalue(c, 1, "revealed")
print(c())
print(pcall(debug.getupvalue, {}, 1))
print(pcall(debug.getupvalue, counter))
print(pcall(debug.setupvalue, counter, 1))
