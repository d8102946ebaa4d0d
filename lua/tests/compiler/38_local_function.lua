local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local fib2
fib2 = function(n) if n < 2 then return n end return fib2(n - 1) + fib2(n - 2) end
local fact = function(n) return n end
local function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
local function noargs() end
local function many(a, b, c, d, e, f, g, h) return h, g, f, e, d, c, b, a end
print(fib(10), fib2(10), fact(3), even(4), many(1, 2, 3, 4, 5, 6, 7, 8))
