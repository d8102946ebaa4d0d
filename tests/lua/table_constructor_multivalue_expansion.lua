-- only the last expression in a constructor is expanded
local function f() return 1, 2, 3 end
local a = {f()}
local b = {f(), nil}
local c = {(f())}
local d = {f(), f()}
local e = {f(), x = 1}
print(#a, a[1], a[2], a[3])
print(b[1], b[2], b[3])
print(#c, c[1], c[2])
print(#d, d[1], d[2], d[3], d[4])
print(e[1], e[2], e.x)
