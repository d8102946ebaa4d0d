-- uncaught: a bad argument to a base function
local t = setmetatable({}, 5)
