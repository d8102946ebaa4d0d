-- uncaught: arithmetic on a local table
local s = {}
local r = s + 1
