-- core: recursive function calls (fib).
local N = tonumber(arg and arg[1]) or 35

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

-- also exercise calls through a global
function gfib(n)
  if n < 2 then return n end
  return gfib(n - 1) + gfib(n - 2)
end

local a = fib(N)
local b = gfib(N - 3)
print("fib", N, a, b)
