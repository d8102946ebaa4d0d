-- a long chain of __index tables
local root = {value = "root"}
local cur = root
for i = 1, 50 do cur = setmetatable({}, {__index = cur}) end
print(cur.value, cur.missing)
