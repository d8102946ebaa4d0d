-- __newindex as a function or a table is used only for absent keys
local log = {}
local t = setmetatable({existing = 1}, {__newindex = function(tbl, k, v)
  log[#log + 1] = k .. "=" .. tostring(v)
  rawset(tbl, k, v * 2)
end})
t.existing = 5
t.new = 10
t.new = 20
print(t.existing, t.new, #log, log[1])
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.a = 1
print(rawget(proxy, "a"), store.a)
local inner = {}
local outer = setmetatable({}, {__newindex = setmetatable({}, {__newindex = inner})})
outer.z = 26
print(inner.z)
