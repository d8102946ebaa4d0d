-- io.stderr:write goes to standard error, unbuffered
print(io.stderr:write("to stderr ", 1, "\n"))
print(io.stderr:setvbuf("full"))
io.stderr:write("more\n")
print(io.stderr:flush())
print("done")
