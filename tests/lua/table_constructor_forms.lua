-- positional, named and bracketed fields, mixed separators, trailing separator
local t = {1, 2, 3; x = "x", ["y"] = "y", [10] = "ten", 4,}
print(#t, t[1], t[4], t.x, t.y, t[10])
local u = {[1] = "a", "b"}
print(u[1])
print(loadstring("return {;}"))
local w = {"only",}
print(#w, w[1])
local e = {}
print(#e, next(e))
local nested = {{1, 2}, {3, {4}}}
print(nested[2][2][1])
local exprkey = {[1 + 1] = "two", ["a" .. "b"] = "ab"}
print(exprkey[2], exprkey.ab)
