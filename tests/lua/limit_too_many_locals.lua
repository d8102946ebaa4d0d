-- a function with more than 200 locals is rejected
local parts = {}
for i = 1, 201 do parts[#parts + 1] = "local v" .. i .. " = " .. i end
local src = ""
for i = 1, #parts do src = src .. parts[i] .. "\n" end
print(loadstring(src))
src = ""
for i = 1, 200 do src = src .. parts[i] .. "\n" end
print(type(loadstring(src)))
