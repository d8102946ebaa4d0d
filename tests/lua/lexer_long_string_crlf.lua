-- a CR LF after the opening long bracket is skipped; CR LF inside becomes "\n"
local s = [[
line one
line two]]
print(s)
print(#s)
print(s == "line one\nline two")
