-- error values can be any Lua value
local t = {}
local ok, e = pcall(error, t)
print(ok, e == t)
print(pcall(error, nil))
print(pcall(error, 42))
print(pcall(error, true))
print(select('#', pcall(error)))
local ok2, e2 = pcall(function() error({msg = "in table"}) end)
print(ok2, type(e2), e2.msg)
print(pcall(error, 42, 2))
