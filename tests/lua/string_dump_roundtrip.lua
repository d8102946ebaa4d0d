-- string.dump produces a binary chunk that loadstring/load turn back into the function
local function add(a, b) return a + b end
local s = string.dump(add)
print(type(s), s:sub(1, 4) == "\27Lua")
local f = loadstring(s)
print(f(2, 3))
local g = load(function() local c = s; s = nil; return c end)
print(g(10, 20))
local function fib(n) if n < 2 then return n end local a, b = 0, 1 for i = 2, n do a, b = b, a + b end return b end
print(loadstring(string.dump(fib))(30))
local function vararg(...) return select("#", ...), ... end
print(loadstring(string.dump(vararg))(1, nil, 3))
local function consts() return nil, true, false, 1.5, -0.25, "str\0ing", 2^53, {1, 2, x = "y"} end
local r = {loadstring(string.dump(consts))()}
print(r[1], r[2], r[3], r[4], r[5], #r[6], r[7], r[8][2], r[8].x)
local function nested() local function inner(x) return x * 2 end return inner(21) end
print(loadstring(string.dump(nested))())
print(loadstring(string.dump(function() end))())
