-- traceback's message and level arguments.
local function level3() return debug.traceback("msg") end
local function level2() local s = level3() return s end
local function level1() local s = level2() return s end
print(level1())
print(debug.traceback("at level 2", 2))
print(debug.traceback("at level 0", 0))
print(debug.traceback())
print(debug.traceback(""))
print(debug.traceback(12))
print(debug.traceback(nil))
print(type(debug.traceback({})))
print(debug.traceback(true))
print(debug.traceback(nil, 1))
print(debug.traceback("far", 50))
print(debug.traceback("neg", -1))
print(debug.traceback("string level", "2"))
local t = {}
function t.method() return debug.traceback("m") end
print(t.method())
local ok, tb = xpcall(function() error("oops") end, debug.traceback)
print(ok, tb)
