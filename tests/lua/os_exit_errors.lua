-- os.exit with a non-number is a bad argument (5.1 only takes numbers).
print(pcall(os.exit, true))
print(pcall(os.exit, "x"))
os.exit(3.9)
