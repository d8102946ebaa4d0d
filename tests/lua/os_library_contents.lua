-- The names the 5.1 os library defines.
local names = {}
for k, v in pairs(os) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
print(table.concat(names, " "))
