print("never printed")
local n = 3x
