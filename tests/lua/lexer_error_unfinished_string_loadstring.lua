-- unfinished strings reported by loadstring
print(loadstring('x = "abc'))
print(loadstring("x = 'abc"))
print(loadstring('x = "abc\ny"'))
print(loadstring('x = "ab\\'))
