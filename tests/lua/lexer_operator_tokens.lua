-- multi-character operators are lexed greedily
local a, b = 1, 2
print(a ~= b, a == b, a <= b, a >= b, a < b, a > b)
print(a..b, a .. b)
print(1 .. 2 .. 3)
print(- -a, not not a)
local function f(...) return select('#', ...) end
print(f(1, 2, 3))
