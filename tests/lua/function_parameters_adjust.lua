-- missing parameters are nil, extra arguments are dropped
local function f(a, b, c) return a, b, c end
print(f(1))
print(f(1, 2, 3, 4))
print(f())
local function g() return end
print(g())
print((g()))
print(select('#', g()))
