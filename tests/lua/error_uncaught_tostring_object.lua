-- an uncaught error with a table value that has __tostring (5.1 does not use it)
error(setmetatable({}, {__tostring = function() return "custom" end}))
