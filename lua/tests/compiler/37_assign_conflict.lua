local a = {}
local i = 1
a[i], i = i, 2
i, a[i] = 3, 4
local b, c = {}, {}
b.x, b = 1, c
b, b.x = c, 1
a[i], a[i + 1], i = 1, 2, 3
local k = "k"
a[k], k = k, "j"
local t = { u = {} }
t.u.v, t = 5, nil
