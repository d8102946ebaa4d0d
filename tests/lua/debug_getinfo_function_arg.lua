-- getinfo with a function: no current line or name; activelines lists the lines with code.
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
local x, y = 1, 2
local function h(p)
  local q = p + x

  return q
    + y
end
show(debug.getinfo(h))
show(debug.getinfo(h, "SlunfL"))
local lines = debug.getinfo(h, "L").activelines
local found = {}
for line = 1, 40 do if lines[line] then found[#found + 1] = line end end
print("active", unpack(found))
show(debug.getinfo(print, "SlunfL"))
print(debug.getinfo(print, "L").activelines)
print(debug.getinfo(h, "f").func == h)
show(debug.getinfo(h, ""))
local main = debug.getinfo(1, "f").func
show(debug.getinfo(main, "S"))
