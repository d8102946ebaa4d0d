local function f(...)
  local a, b = ...
  local t = {...}
  local n = select('#', ...)
  print(...)
  return ...
end
local function g(a, ...) return a end
local function h(...) end
local function k(a, b, ...) local x = {n = select('#', ...), ...} return x end
print(f(1, 2, 3))
local x, y, z = ...
print(...)
return f(...)
