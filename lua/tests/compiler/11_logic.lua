local a, b, c = f()
local x = a and b
local y = a or b
local z = a and b or c
local w = (a or b) and c
local v = not a
local u = not not a
local t = a == b
local s = a ~= b
local r = a < b
local q = a <= b
local p = a > b
local o = a >= b
local n = 1 < 2
local m = a and 1 or 2
local l = a or {}
local k = nil or false
local j = true and nil
local i = a == nil and b ~= nil
local h = (a > 0) == (b > 0)
x = a and b
y.z = a or b
if a and not b or c then x = 1 end
while a and b do a = a - 1 end
local g = not (a == b)
local e = a and (b or c) and d
