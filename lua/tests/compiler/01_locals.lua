local a, b, c = 1, 2
local d = a + b * c - 4 / 2 % 3 ^ 2
local e, f = nil, nil
local g
local h = true
local i = false
local s = "hello" .. " " .. "world"
x = d
y, z = a, b, c
