-- the traceback lists every active function
local function level3(x) return x + nil end
local function level2(x) return level3(x) * 2 end
function level1(x) local r = level2(x) return r end
print(level1(1))
