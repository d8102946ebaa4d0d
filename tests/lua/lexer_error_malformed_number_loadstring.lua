-- malformed numbers reported by loadstring
print(loadstring("x = 3x"))
print(loadstring("x = 1.2.3"))
print(loadstring("x = 0xg"))
print(loadstring("x = 1e"))
print(loadstring("x = 12abc + 1"))
