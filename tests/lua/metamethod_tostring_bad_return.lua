-- __tostring must return a string when used by print; tostring passes it through
local t = setmetatable({}, {__tostring = function() return {} end})
print(pcall(print, t))
local ok, v = pcall(tostring, t)
print(ok, type(v))
