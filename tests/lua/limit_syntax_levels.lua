-- deeply nested expressions exceed the parser's nesting limit
local function nested(n)
  local open, close = "", ""
  for i = 1, n do open = open .. "(" close = close .. ")" end
  return "return " .. open .. "1" .. close
end
print(loadstring(nested(100))())
local f, e = loadstring(nested(300))
print(f, e)
