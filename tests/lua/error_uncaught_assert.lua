-- an uncaught failing assert
local x = 1
assert(x == 2, "x should be 2")
