-- strings index the string table through their shared metatable
local mt = getmetatable("")
print(type(mt), mt.__index == string, getmetatable("abc") == mt)
print(("abc"):upper(), ("%d-%d"):format(1, 2), ("x"):rep(3))
local s = "hello"
print(s:len(), s:sub(2, 3), s:find("l"), s:match("(h)(e)"))
print(#s, s.len == string.len, s.nothing)
string.shout = function(x) return x:upper() .. "!" end
print(("hi"):shout())
print(pcall(function() return ("x"):nothing() end))
print(pcall(function() local n = 5; return n:rep(2) end))
print(("5") + 1, ("10"):len())
