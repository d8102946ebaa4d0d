-- core: varargs, select('#'), select(n, ...), {...}, unpack, multiple returns.
local N = tonumber(arg and arg[1]) or 1500000
local unpack = unpack

local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + select(i, ...) end
  return s
end

local function pack(...) return { n = select('#', ...), ... } end

local function pass(...) return ... end

local function multi(a) return a, a + 1, a + 2, a + 3 end

local function tail(n, ...)
  if n == 0 then return select('#', ...) end
  return tail(n - 1, n, ...)
end

local total = 0
for i = 1, N do
  total = total + sum(i, 1, 2, 3, 4)
  local p = pack(pass(multi(i)))
  total = total + p.n + p[4]
  total = total + sum(unpack(p, 1, p.n))
  if i % 50 == 0 then total = total + tail(20) end
end
print("varargs", N, total)
