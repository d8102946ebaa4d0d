-- strings with embedded NULs work in every function; patterns stop at their first NUL
-- (results holding NULs are shown as bytes: lua5.1's print stops at a NUL)
local s = "a\0b\0c"
print(#s, s:len(), #s:upper(), #s:rep(2), #s:reverse())
print(s:byte(1, -1))
print(s:find("\0"), s:find("\0", 3, true), s:find("b\0c", 1, true))
print(s:find("%z"), s:match("b(%z)c") == "\0")
print(s:gsub("%z", "_"))
local r, n = s:gsub("\0", "-")
print(r:byte(1, -1))
print(n)
print(("ab"):find("b\0zzz"))
print(#string.format("%s", s), #string.format("%q", s))
print(s:sub(2, 2) == "\0", ("\0"):rep(3) == "\0\0\0")
