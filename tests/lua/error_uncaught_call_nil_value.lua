-- uncaught: calling a nil value with no name
local function get() return nil end
get()()
