function add(a, b) return a + b end
local function fact(n)
  if n <= 1 then return 1 end
  return n * fact(n - 1)
end
local t = {}
function t.f(x) return x end
function t:m(y) return self, y end
function t.a.b.c:d() end
print(add(1, 2), fact(5), t:m(3))
local f = function(...) return ... end
print(f(1, 2, 3))
