-- A tour of ferrous-lua: closures, metatables, coroutines-free iteration and error handling.
local Point = {}
Point.__index = Point
Point.__tostring = function(p) return "(" .. p.x .. ", " .. p.y .. ")" end
Point.__add = function(a, b) return Point.new(a.x + b.x, a.y + b.y) end
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end

local function counter()
  local n = 0
  return function() n = n + 1; return n end
end

local next_id = counter()
print("hello from " .. _VERSION, next_id(), next_id())
print(Point.new(1, 2) + Point.new(3, 4))
print(pcall(function() local t = nil; return t.field end))
