-- a vararg or call in the middle of a list is adjusted to one value
local function three() return 1, 2, 3 end
local function v(...) return ... end
print(three(), three())
print((three()))
print(v(three()), "x")
print(v(...))
local function g(...) print(..., "last") print("first", ...) end
g("a", "b")
