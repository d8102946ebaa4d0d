-- select('#', ...) counts nils too
local function count(...) return select('#', ...) end
print(count())
print(count(nil))
print(count(nil, nil))
print(count(1, nil, 3, nil))
local function first(...) local a = ... return a end
print(first(9, 8, 7))
local function pass(...) return ... end
print(pass(1, nil, 3))
