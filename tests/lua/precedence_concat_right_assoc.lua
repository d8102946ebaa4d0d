-- .. is right associative and binds looser than arithmetic
print("a".."b".."c")
print(1 .. 2 + 3)
print("x" .. 2 * 3 .. "y")
print(1 + 2 .. "")
