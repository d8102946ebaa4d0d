-- os.getenv: set variables, unset ones, argument errors.
print(type(os.getenv("PATH")))
print(os.getenv("FERROUS_SURELY_NOT_SET_123"))
print(os.getenv(""))
print(pcall(os.getenv))
print(pcall(os.getenv, {}))
print(os.getenv(1))
