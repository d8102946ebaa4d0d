-- string.len counts bytes, including NULs; numbers are converted
print(string.len(""), string.len("abc"), string.len("a\0b"), string.len("\0\0\0"))
print(string.len(12345), string.len(1.5), string.len(-0.25))
print(("hello"):len(), #"hello")
print(pcall(string.len))
print(pcall(string.len, nil))
print(pcall(string.len, true))
print(pcall(function() return string.len({}) end))
