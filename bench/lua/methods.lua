-- core: method calls with ':' through a metatable/__index class hierarchy.
local N = tonumber(arg and arg[1]) or 4800000

local Base = {}
Base.__index = Base
function Base.new(x)
  local o = setmetatable({}, Base)
  o.x = x
  o.count = 0
  return o
end
function Base:get() return self.x end
function Base:bump(d) self.count = self.count + d; return self end
function Base:area() return 0 end

local Shape = setmetatable({}, { __index = Base })
Shape.__index = Shape
function Shape.new(x, w)
  local o = Base.new(x)
  o.w = w
  return setmetatable(o, Shape)
end
function Shape:area() return self.w * self.w end
function Shape:scaled(k) return self:area() * k end

local Rect = setmetatable({}, { __index = Shape })
Rect.__index = Rect
function Rect.new(x, w, h)
  local o = Shape.new(x, w)
  o.h = h
  return setmetatable(o, Rect)
end
function Rect:area() return self.w * self.h end

local objs = {}
for i = 1, 30 do
  local k = i % 3
  if k == 0 then objs[i] = Base.new(i)
  elseif k == 1 then objs[i] = Shape.new(i, i % 7 + 1)
  else objs[i] = Rect.new(i, i % 5 + 1, i % 4 + 2) end
end

local sum = 0
for i = 1, N do
  local o = objs[i % 30 + 1]
  sum = sum + o:area() + o:get()
  o:bump(1):bump(1)
  if o.scaled then sum = sum + o:scaled(2) end
end
local counts = 0
for i = 1, 30 do counts = counts + objs[i].count end
print("methods", sum, counts)
