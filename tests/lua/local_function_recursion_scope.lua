-- "local function f" can call itself; "local f = function" cannot
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
print(fib(20))
local g = function(n) return n end
local g = function(n) if n == 0 then return "base" end return g(n - 1) end
print(g(5))
print(pcall(function()
  local h = function(n) if n == 0 then return 0 end return h(n - 1) end
  return h(1)
end))
