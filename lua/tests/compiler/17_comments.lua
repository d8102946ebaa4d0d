-- line comment
--[[ block
comment ]]
--[==[ level
2 ]] comment ]==]
local a = 1 -- trailing
--[[]] local b = 2
---[[ not a block
local c = 3
--]]
--[=
local d = 4
