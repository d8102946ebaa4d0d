-- uncaught: calling a missing field
local t = {}
t.g(1, 2)
