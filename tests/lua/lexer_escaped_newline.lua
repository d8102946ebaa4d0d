-- a backslash followed by a real newline inserts a newline
local s = "line one\
line two"
print(s)
print(#s)
print(s == "line one\nline two")
