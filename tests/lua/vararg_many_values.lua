-- passing and returning a few hundred values
local t = {}
for i = 1, 250 do t[i] = i end
local function count(...) return select('#', ...) end
print(count(unpack(t)))
local function last(...) return (select(select('#', ...), ...)) end
print(last(unpack(t)))
local function pass(...) return ... end
local u = {pass(unpack(t))}
print(#u, u[1], u[125], u[250])
local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(unpack(t)))
