-- values without a name are reported without one
print(pcall(function() return ({})[1][2] end))
print(pcall(function() local function f() end return f().x end))
print(pcall(function() local t = {} return t[1].x end))
