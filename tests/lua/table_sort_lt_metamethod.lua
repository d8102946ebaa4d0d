-- table.sort without a comparator uses __lt for tables and userdata-like objects.
local mt = {__lt = function(a, b) return a.v < b.v end}
local objs = {}
for i = 1, 12 do objs[i] = setmetatable({v = (i * 5) % 12}, mt) end
table.sort(objs)
local o = {} for i = 1, 12 do o[i] = objs[i].v end print(table.concat(o, ","))
local count = 0
local mt2 = {__lt = function(a, b) count = count + 1 return a.v > b.v end}
objs = {}
for i = 1, 8 do objs[i] = setmetatable({v = i}, mt2) end
table.sort(objs)
o = {} for i = 1, 8 do o[i] = objs[i].v end print(table.concat(o, ","), count)
-- different metamethods: not comparable
local a = setmetatable({}, {__lt = function() return true end})
local b = setmetatable({}, {__lt = function() return true end})
print(pcall(table.sort, {a, b}))
-- __lt erroring
local bad = {__lt = function() error("no order") end}
print(pcall(table.sort, {setmetatable({}, bad), setmetatable({}, bad)}))
-- __lt returning non-booleans
local mt3 = {__lt = function(a, b) if a.v < b.v then return "yes" end end}
objs = {}
for i = 1, 6 do objs[i] = setmetatable({v = 7 - i}, mt3) end
table.sort(objs)
o = {} for i = 1, 6 do o[i] = objs[i].v end print(table.concat(o, ","))
