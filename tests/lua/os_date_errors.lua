-- os.date argument errors.
print(pcall(os.date, "%Y", "x"))
print(pcall(os.date, {}))
print(pcall(os.date, "%Y", {}))
print(pcall(function() os.date(print) end))
print(type(os.date()), type(os.date(nil)), type(os.date("%c", nil)))
