-- recursion through an __index function also overflows and is caught
-- (lua5.1 reports "C stack overflow"; any message containing "stack overflow" is fine)
local t = setmetatable({}, {})
getmetatable(t).__index = function(tbl, k) return tbl[k .. "x"] end
local ok, e = pcall(function() return t.a end)
print(ok, type(e))
local accepted = {
  ["error_stack_overflow_metamethod.lua:4: stack overflow"] = true,
  ["error_stack_overflow_metamethod.lua:4: C stack overflow"] = true,
  ["stack overflow"] = true,
  ["C stack overflow"] = true,
}
print("contains stack overflow:", accepted[e] == true)
print("still running")
