-- an uncaught error from a method of a closed file
local f = io.tmpfile()
f:close()
f:write("x")
