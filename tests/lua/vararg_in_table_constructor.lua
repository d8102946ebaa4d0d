-- ... expands in a table constructor only in the last position
local function pack(...) return {...} end
local t = pack(1, 2, 3)
print(#t, t[1], t[2], t[3])
local function mid(...) return {..., "end"} end
local u = mid(1, 2, 3)
print(u[1], u[2], u[3])
local function n(...) return {n = select('#', ...), ...} end
local v = n(nil, nil)
print(v.n)
