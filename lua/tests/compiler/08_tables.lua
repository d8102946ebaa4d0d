local t = {}
local u = {1, 2, 3}
local v = {a = 1, b = 2, ["c"] = 3, [10] = 4}
local w = {1, 2, x = 3, 4; 5, [6] = 6}
local nested = {{1, 2}, {3, {4, 5}}, k = {z = 1}}
local m = {f(), g()}
local n = {f(), g(), nil}
local o = {...}
local p = {1, 2, ...}
local q = {(f())}
local r = {[1]=1, [2]=2, [true]=false, [1.5] = "x"}
local s = {"a", "b", "c"; n = 3}
print(#t, u[1], v.a, w[3])
