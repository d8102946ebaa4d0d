-- loadstring's chunk name: long sources are abbreviated, custom names honoured
print(loadstring("x = = 1", "mychunk"))
print(loadstring("x = = 1", "=custom"))
print(loadstring("x = = 1", "@file.lua"))
print(loadstring("local a = 'a long line of source code that is truncated' x = = 1"))
print(loadstring("first line\nsecond line"))
