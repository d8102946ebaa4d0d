-- os.execute returns system()'s raw wait status; with no command, whether a shell exists.
print(os.execute("exit 0"))
print(os.execute("exit 3"))
print(os.execute("exit 255"))
print(os.execute("true"))
print(os.execute("kill -9 $$"))
print(os.execute())
print(os.execute("exit " .. 1))
print(pcall(os.execute, {}))
