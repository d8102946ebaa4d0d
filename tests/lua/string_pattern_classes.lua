-- character classes and their complements, in the C locale
local all = ""
for i = 0, 255 do all = all .. string.char(i) end
for _, c in ipairs({"a", "c", "d", "l", "p", "s", "u", "w", "x", "z"}) do
  local lower = select(2, all:gsub("%" .. c, ""))
  local upper = select(2, all:gsub("%" .. c:upper(), ""))
  print(c, lower, upper)
end
print(("a.b"):find("%."), ("a%b"):find("%%"), ("a]b"):find("%]"))
print(("x\0y"):find("%z"), ("x\0y"):find("[%z]"))
print(("hello123"):match("%a+%d+"), ("  \t\n x"):match("%S"))
