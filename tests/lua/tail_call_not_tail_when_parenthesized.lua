-- "return (f())" is not a tail call and truncates to one value
local function f() return 1, 2 end
local function g() return (f()) end
local function h() return f() end
print(g())
print(h())
local function k() return f(), 3 end
print(k())
