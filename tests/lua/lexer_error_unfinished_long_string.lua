-- unfinished long strings and comments, level mismatch
print(loadstring("x = [[abc"))
print(loadstring("x = [==[abc]]"))
print(loadstring("--[[ never closed"))
print(loadstring("x = [=abc"))
