print(loadstring("a\0b c"))
