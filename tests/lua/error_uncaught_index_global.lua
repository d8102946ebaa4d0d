-- uncaught: indexing a nil global
print("line 1")
local v = config.value
