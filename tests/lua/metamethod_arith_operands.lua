-- arithmetic metamethods get operands in the original order
local mt = {}
local function V(x) return setmetatable({x = x}, mt) end
local function show(v) if type(v) == "table" then return "V" .. tostring(v.x) end return tostring(v) end
mt.__add = function(a, b) return "add(" .. show(a) .. "," .. show(b) .. ")" end
mt.__sub = function(a, b) return "sub(" .. show(a) .. "," .. show(b) .. ")" end
mt.__mul = function(a, b) return "mul(" .. show(a) .. "," .. show(b) .. ")" end
mt.__div = function(a, b) return "div(" .. show(a) .. "," .. show(b) .. ")" end
mt.__mod = function(a, b) return "mod(" .. show(a) .. "," .. show(b) .. ")" end
mt.__pow = function(a, b) return "pow(" .. show(a) .. "," .. show(b) .. ")" end
mt.__unm = function(a, b) return "unm(" .. show(a) .. "," .. show(b) .. ")" end
local a = V(1)
print(a + 2, 2 + a, a + a)
print(a - 2, 2 - a)
print(a * "3", "3" * a)
print(a / 4, 4 / a)
print(a % 5, 5 % a)
print(a ^ 6, 6 ^ a)
print(-a)
