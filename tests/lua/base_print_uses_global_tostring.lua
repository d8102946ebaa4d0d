-- in 5.1 print converts its arguments by calling the global tostring
local original = tostring
tostring = function(v) return "<" .. original(v) .. ">" end
print(1, "a", nil)
tostring = original
print(1, "a", nil)
