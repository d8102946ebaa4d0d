local a = [[]]
local b = [[
]]
local c = [[

two newlines]]
local d = [=[ ]] ]=]
local e = [==[
level two ]=] ]] ]===] ]==]
local f = [[a
b
c]]
local g = [====[]====]
print(a, b, c, d, e, f, g)
