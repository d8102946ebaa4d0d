-- ipairs stops at the first nil even with later elements
local t = {1, 2, nil, 4}
local n = 0
for i, v in ipairs(t) do n = i end
print(n)
local u = {}
u[1], u[2], u[3] = "a", "b", "c"
u[2] = nil
for i, v in ipairs(u) do print(i, v) end
-- ipairs uses raw access in 5.1: __index is not consulted
local w = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(w) do print(i, v) end
