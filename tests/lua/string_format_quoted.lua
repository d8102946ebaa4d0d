-- %q quotes a string so that Lua can read it back
print(string.format("%q", 'he said "hi"\n\\ done'))
print(string.format("%q", "tab\there\rcr"))
print(string.format("%q", "nul\0byte"))
print(string.format("%q", 1/3), string.format("%q", 10))
print(string.format("%q", "\1\127\255"):byte(1, -1))
local s = "a\0b\n\"c\\"
print(loadstring("return " .. string.format("%q", s))() == s)
print(string.format("%10q|", "x"))
