-- string.find/match init: negative, zero, beyond the end
local s = "abcabc"
print(s:find("b", 1), s:find("b", 3), s:find("b", -1), s:find("b", -2))
print(s:find("b", 0), s:find("b", -100), s:find("b", 100))
print(s:find("", 7), s:find("", 8), s:find("", 100), s:find("", -100))
print(s:find("c$", 4), s:find("^a", 4), s:find("^b", 1))
print(s:match("%a", 3), s:match("%a", -1), s:match("()", 100))
print(s:find("b", 2.9), s:find("b", "3"))
print(s:find("x*", 3))
