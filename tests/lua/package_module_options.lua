-- module options are called with the module table, in order
local seen = {}
local function opt1(m) seen[#seen + 1] = "opt1 " .. m._NAME end
local function opt2(m) seen[#seen + 1] = "opt2 " .. tostring(m == a.b.c) end
local print, ipairs, getfenv, rawget, package = print, ipairs, getfenv, rawget, package
module("a.b.c", opt1, opt2, package.seeall)
for _, s in ipairs(seen) do print(s) end
print(_NAME, _PACKAGE, _M == a.b.c, getfenv(1) == a.b.c)
print(rawget(_M, "print"), type(tostring))
module("a.b.c")
print(_NAME, rawget(_M, "_NAME"))
