-- the different ways of defining functions
function gf(x) return x * 2 end
local function lf(x) return x + 1 end
local af = function(x) return x - 1 end
local t = {a = {b = {}}}
function t.a.b.f(x) return x .. "!" end
print(gf(2), lf(2), af(2), t.a.b.f("hi"))
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10))
