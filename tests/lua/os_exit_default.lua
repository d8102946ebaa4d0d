-- os.exit() exits with status 0; later code does not run.
print("bye")
os.exit()
error("not reached")
