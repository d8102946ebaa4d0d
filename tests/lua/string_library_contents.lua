-- the string table's functions (5.1.5 built with LUA_COMPAT_GFIND keeps gfind)
local count = 0
for k, v in pairs(string) do count = count + 1 end
print(count)
for _, name in ipairs({"byte", "char", "dump", "find", "format", "gfind", "gmatch", "gsub",
  "len", "lower", "match", "rep", "reverse", "sub", "upper"}) do
  print(name, type(string[name]))
end
print(string.gfind == string.gmatch)
local words = ""
for w in string.gfind("one two", "%a+") do words = words .. w .. ";" end
print(words)
