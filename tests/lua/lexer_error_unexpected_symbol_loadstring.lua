-- characters that are not tokens
print(loadstring("x = @"))
print(loadstring("x = 1 $ 2"))
print(loadstring("  @"))
print(loadstring("x = !y"))
print(loadstring("local a = 1\nlocal b = `"))
