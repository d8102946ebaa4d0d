-- and/or truncate function results to one value
local function two() return 1, 2 end
print(two() or 3)
print(nil or two())
print(two() and two())
print((two()))
local t = {two() or nil}
print(#t)
