-- os.exit flushes buffered output and exits with the given status.
print("before exit")
for i = 1, 3 do print("line", i) end
os.exit(7)
print("not reached")
