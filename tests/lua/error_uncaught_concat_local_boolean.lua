-- uncaught: concatenating a boolean local
local x = true
print("value: " .. x)
