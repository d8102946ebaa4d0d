-- this whole program fails to compile
local ok = 1
print("never printed")
local s = "abc
print(s)
