-- closures created inside a loaded dumped function capture its locals normally
local function counter_factory(start)
  local n = start
  local function inc(k) n = n + (k or 1) return n end
  local function get() return n end
  return inc, get
end
local make = loadstring(string.dump(counter_factory))
local inc, get = make(10)
print(inc(), inc(5), get())
local inc2, get2 = make(0)
print(inc2(), get(), get2())
local function loops()
  local fs = {}
  for i = 1, 3 do fs[i] = function() return i * 10 end end
  local r = {}
  for k = 1, 3 do r[k] = fs[k]() end
  return r[1], r[2], r[3]
end
print(loadstring(string.dump(loops))())
local again = string.dump(loadstring(string.dump(counter_factory)))
print(again == string.dump(counter_factory))
