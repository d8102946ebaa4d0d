-- debug.debug() reads commands until end of input (stdin is empty here).
print("before")
debug.debug()
print("after")
