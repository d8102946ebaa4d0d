-- and/or return one of their operands and short-circuit
print(nil and 1, false and 1, 0 and 1, 1 and nil)
print(nil or 1, false or nil, 0 or 1, 1 or error("unreached"))
print(false and error("unreached"))
local calls = 0
local function f() calls = calls + 1 return true end
local _ = false and f()
local _ = true or f()
print(calls)
local x = nil
print(x and x.y or "default")
print(1 and 2 or 3, nil and 2 or 3, false or false)
