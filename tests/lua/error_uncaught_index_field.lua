-- uncaught: indexing a nil field inside a function
local settings = {}
local function read() return settings.display.width end
read()
