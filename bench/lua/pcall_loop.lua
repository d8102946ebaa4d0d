-- core: pcall/error in a loop (success and failure paths, error values).
local N = tonumber(arg and arg[1]) or 3000000

local function ok(a, b) return a + b end
local function fail(x)
  if x % 3 == 0 then error({ code = x }) end
  if x % 3 == 1 then error("bad " .. x, 0) end
  return x
end

local good, bad, codes, msglen = 0, 0, 0, 0
for i = 1, N do
  local s, v = pcall(ok, i, 1)
  if s then good = good + v end
  local s2, e = pcall(fail, i)
  if s2 then
    good = good + e
  else
    bad = bad + 1
    if type(e) == "table" then codes = codes + e.code else msglen = msglen + #e end
  end
end

-- nested pcall
local depth = 0
local function nest(n)
  if n == 0 then error("bottom") end
  local s, e = pcall(nest, n - 1)
  depth = depth + 1
  error(e, 0)
end
for i = 1, N / 100 do pcall(nest, 10) end
print("pcall_loop", N, good, bad, codes, msglen, depth)
