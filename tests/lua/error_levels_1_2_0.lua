-- error levels: 1 = where error was called, 2 = the caller, 0 = no position
local function lvl1() error("one", 1) end
local function lvl2() error("two", 2) end
local function lvl0() error("zero", 0) end
local function default() error("default") end
print(pcall(lvl1))
print(pcall(function() lvl2() end))
print(pcall(lvl0))
print(pcall(default))
local function deep() error("three", 3) end
local function mid() deep() end
print(pcall(function() mid() end))
