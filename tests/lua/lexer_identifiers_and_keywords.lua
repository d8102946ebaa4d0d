-- identifiers may contain letters, digits and underscores; keywords are reserved
local _ = 1
local _a1, A_2, __x__ = 2, 3, 4
local andy, ord, nothing, iff, endd = 5, 6, 7, 8, 9
print(_, _a1, A_2, __x__)
print(andy, ord, nothing, iff, endd)
print(loadstring("local and = 1"))
print(loadstring("local end = 1"))
print(loadstring("local nil = 1"))
