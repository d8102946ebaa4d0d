print("never printed")
local a = 1
a = a @ 2
