-- core: closure creation, upvalue get/set (open and closed), higher-order calls.
local N = tonumber(arg and arg[1]) or 3600000

local function make_counter(start)
  local n = start
  return function(d) n = n + d; return n end
end

local function compose(f, g)
  return function(x) return f(g(x)) end
end

local function map(t, f)
  local r = {}
  for i = 1, #t do r[i] = f(t[i]) end
  return r
end

local total = 0
-- many short-lived closures
for i = 1, N do
  local c = make_counter(i)
  c(1); total = total + c(2)
end

-- a shared open upvalue mutated by a nested function
local acc = 0
local function add(x) acc = acc + x end
for i = 1, N * 3 do add(i % 13) end
total = total + acc

-- closures capturing a loop variable (fresh per iteration)
local fs = {}
for i = 1, 100 do fs[i] = function(x) return x * i end end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
local f = compose(inc, compose(dbl, inc))
local arr = {}
for i = 1, 100 do arr[i] = i end
for rep = 1, N / 100 do
  local m = map(arr, f)
  for i = 1, 100 do total = total + fs[i](m[i]) % 17 end
end
print("closures", N, total)
