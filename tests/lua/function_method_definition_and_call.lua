-- "function a.b:c()" defines a method with an implicit self
local a = {b = {name = "B"}}
function a.b:c(x)
  return self.name .. ":" .. x
end
print(a.b:c("arg"))
print(a.b.c(a.b, "explicit"))
print(a.b.c({name = "other"}, "self"))
local obj = {count = 0}
function obj:inc() self.count = self.count + 1 return self end
obj:inc():inc():inc()
print(obj.count)
