-- uncaught: comparing a number with nil
local limit
if 1 < limit then print("unreached") end
