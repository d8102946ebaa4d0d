-- __concat is used when either operand is not a string or number
local mt = {__concat = function(a, b)
  local function s(v) if type(v) == "table" then return "T" end return tostring(v) end
  return s(a) .. "+" .. s(b)
end}
local t = setmetatable({}, mt)
print(t .. "x", "x" .. t, t .. t, 1 .. t, t .. 2)
print("a" .. "b" .. t)
print(t .. "a" .. "b")
print(pcall(function() return {} .. "x" end))
