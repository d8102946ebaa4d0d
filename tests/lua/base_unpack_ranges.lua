-- unpack with explicit ranges
local t = {1, 2, 3, 4}
print(unpack(t))
print(unpack(t, 2, 3))
print(unpack(t, 3))
print(unpack({}, 1, 3))
print(unpack(t, 4, 2))
print(select('#', unpack({}, 1, 3)))
print(select('#', unpack({})))
print(unpack({"a", nil, "c"}, 1, 3))
print(unpack(t, -1, 1))
