-- runtime errors in loadstring chunks use the [string "..."] chunk name
local f = loadstring("local t = nil\nreturn t.x")
print(pcall(f))
local g = loadstring("error('boom')", "=named")
print(pcall(g))
local h = loadstring("return undefined_fn()", "@virtual.lua")
print(pcall(h))
