-- print separates values with tabs and ends with a newline
print(1, "two", nil, true, false)
print()
print(nil)
print("", "")
print(1.5, -0.25, "a\tb")
local t = setmetatable({}, {__tostring = function() return "T!" end})
print(t, t)
print(select('#', print()))
