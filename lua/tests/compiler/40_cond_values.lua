local x, y = f()
local a = x == 1
local b = 1 == x
local c = x ~= "s"
local d = x < 10 and y > 20
local e = not (x >= y)
local g = x and y == nil
local h = (x or y) == nil
local i = x == true or y == false
local j = x and true
local k = x or false
local l = x < y == false
local m = not x == not y
if 1 < x then print(1) end
if "a" == x then print(2) end
if x == nil or y == nil then print(3) end
while x ~= nil and x.next do x = x.next end
