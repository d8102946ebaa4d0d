local y
local x = true or y
local z = nil and y
local w = false and y
local v = nil or y
