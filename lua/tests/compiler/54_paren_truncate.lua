local function f() return 1, 2 end
local a, b = (f())
local t = { (f()) }
print((f()))
local c = (...)
return (f())
