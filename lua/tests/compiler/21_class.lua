-- A small class system with inheritance and metatables.
local Class = {}
Class.__index = Class

function Class:extend(name)
  local cls = setmetatable({}, { __index = self })
  cls.__index = cls
  cls.name = name
  cls.super = self
  return cls
end

function Class:new(...)
  local obj = setmetatable({}, self)
  if obj.init then obj:init(...) end
  return obj
end

local Animal = Class:extend("Animal")
function Animal:init(name, sound)
  self.name = name
  self.sound = sound or "..."
end
function Animal:speak()
  return self.name .. " says " .. self.sound
end

local Dog = Animal:extend("Dog")
function Dog:init(name)
  Dog.super.init(self, name, "woof")
  self.tricks = {}
end
function Dog:learn(trick)
  self.tricks[#self.tricks + 1] = trick
  return self
end

local d = Dog:new("rex")
d:learn("sit"):learn("roll")
print(d:speak(), #d.tricks)
for i, t in ipairs(d.tricks) do
  print(i, t)
end
