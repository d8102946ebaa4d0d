-- assigning to an existing key (even to nil) bypasses __newindex
local calls = 0
local t = setmetatable({a = 1}, {__newindex = function(tb, k, v) calls = calls + 1 rawset(tb, k, v) end})
t.a = 2
t.a = nil
t.a = 3
print(t.a, calls)
