-- gsub with a table: the first capture (or whole match) is the key
local t = {name = "Lua", version = 5.1, flag = false}
print(string.gsub("$name $version $flag $missing", "%$(%w+)", t))
print(string.gsub("a b c", "%a", {a = 1, b = true and "B"}))
print(string.gsub("abc", "()", {[1] = "one", [4] = "four"}))
local lookups = 0
local proxy = setmetatable({}, {__index = function(_, k) lookups = lookups + 1; return k:upper() end})
print(string.gsub("x y z", "%a", proxy), lookups)
local chained = setmetatable({}, {__index = {a = "A"}})
print(string.gsub("a b", "%a", chained))
print(pcall(string.gsub, "abc", "b", {b = {}}))
print(pcall(string.gsub, "abc", "b", {b = true}))
