-- the traceback shows tail calls as "(tail call)"
local function fail() error("failed after tail call") end
local function forward() return fail() end
forward()
