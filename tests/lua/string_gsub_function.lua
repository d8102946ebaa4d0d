-- gsub with a function: called with the captures; nil/false keep the match
print(string.gsub("hello world", "%w+", string.upper))
print(string.gsub("hello world", "(%w+)", function(w) return #w end))
print(string.gsub("a,b,c", "[^,]+", function(s) if s == "b" then return nil end return s .. s end))
print(string.gsub("abc", "%a", function() return false end))
print(string.gsub("k1=v1 k2=v2", "(%w+)=(%w+)", function(k, v) return v .. "=" .. k end))
print(string.gsub("abc", "()", function(p) return p end))
local calls = {}
string.gsub("xyz", ".", function(c) calls[#calls + 1] = c end)
print(#calls, calls[1], calls[3])
print(string.gsub("abc", "b", function(...) return select("#", ...) end))
print(string.gsub("a.b", "%.", function() return "::" end, 1))
print(string.gsub("nested", "%a+", function(w) return (w:gsub("e", "E")) end))
