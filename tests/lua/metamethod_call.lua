-- __call receives the object followed by the call arguments
local callable = setmetatable({name = "obj"}, {__call = function(self, a, b)
  return self.name, a, b
end})
print(callable(1, 2))
print(callable())
print(pcall(callable, "x"))
local t = {m = callable}
print(t.m("p"))
print(t:m("q") == "obj")
