-- the first operand's metamethod is preferred, then the second's
local A = setmetatable({}, {__add = function() return "A's add" end})
local B = setmetatable({}, {__add = function() return "B's add" end})
local N = setmetatable({}, {})
print(A + B, B + A)
print(A + N, N + A)
print(A + 1, 1 + B)
print(pcall(function() return N + N end))
