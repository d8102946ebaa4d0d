local function pack(...) return { n = select("#", ...), ... } end
local function count(...) return select("#", ...) end
local function first(...) return (...) end
local function rest(_, ...) return ... end
local function mid(...) local t = { 1, ..., 2 } return t end
local function tail(...) return count(...) end
local function two(...) local a, b = ..., "x" return a, b end
local function forward(...) print("args", ...) return pack(..., nil) end
local function vsum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(count(), count(nil), count(1, nil, 3), first(4, 5), rest(1, 2, 3), vsum(1, 2, 3))
