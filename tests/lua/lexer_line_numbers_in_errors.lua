-- line numbers count every kind of newline, including those in long strings
local src = "local a = [[\n\n\n]]\nlocal b = 1\nx = = 2"
print(loadstring(src))
print(loadstring("\n\n\n@"))
print(loadstring("--[[\n\n]] x = @"))
