-- multiple assignment mixing globals, upvalues, locals and fields
local up = 0
local t = {}
local function set()
  local loc
  g, up, loc, t.f = 1, 2, 3, 4
  return loc
end
print(set(), g, up, t.f)
local function swap() g, up = up, g end
swap()
print(g, up)
