local a, b = f()
local c = -a
local d = not a
local e = #a
local g = - -a
local h = not not not a
local i = -#a
local j = #-a
local k = -(a + b)
local l = -a ^ 2
local m = (-a) ^ 2
local n = not a and b
local o = -2 ^ 2
local p = - "3"
local q = -{}
local r = #{1, 2, 3}
local s = not nil == true
