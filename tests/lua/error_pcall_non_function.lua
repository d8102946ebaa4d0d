-- pcall of a non-callable value returns the call error
print(pcall(nil))
print(pcall(42))
print(pcall({}))
print(pcall(setmetatable({}, {__call = function(self, x) return "ok " .. x end}), "y"))
