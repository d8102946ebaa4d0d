-- the newline immediately after the opening long bracket is skipped
local s = [[
first
second]]
print(s)
print(#s)
local t = [==[

two newlines, one kept]==]
print(t)
print(#t)
local u = [[no newline]]
print(u)
local v = [[
]]
print(#v, v == "")
