-- an uncaught runtime error ends the program with status 1
print("before")
local t = nil
print(t.x)
print("after")
