-- __index as a function receives the table and the key
local calls = 0
local t = setmetatable({present = "yes"}, {__index = function(tbl, k)
  calls = calls + 1
  return k .. "!"
end})
print(t.present, t.missing, t[1], calls)
local chain = setmetatable({}, {__index = t})
print(chain.other, chain.present, calls)
