-- an error raised inside a metamethod, uncaught
local t = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(t.missing)
