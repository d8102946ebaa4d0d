-- replacement functions may themselves use gsub, find and format
local text = "Name: alice; Name: bob"
local out, n = text:gsub("Name: (%a+)", function(name)
  local cap = name:gsub("^%l", string.upper)
  return string.format("%s(%d)", cap, #name)
end)
print(out, n)
local depth = 0
local function expand(s)
  depth = depth + 1
  return (s:gsub("%b{}", function(inner) return "[" .. expand(inner:sub(2, -2)) .. "]" end))
end
print(expand("a{b{c}d}e{f}"), depth)
local t = setmetatable({}, {__index = function(_, k) return (k:gsub(".", "%0%0")) end})
print(("ab cd"):gsub("%a+", t))
