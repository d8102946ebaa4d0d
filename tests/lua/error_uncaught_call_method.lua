-- uncaught: calling a missing method
local obj = {}
obj:m()
