-- the main chunk is a vararg function; with no script arguments ... is empty
print(select('#', ...))
local a, b = ...
print(a, b)
local f = loadstring("return select('#', ...), ...")
print(f(1, 2, 3))
