-- module() errors: name conflicts, missing name, not called from Lua
conflict = 5
print(pcall(function() module("conflict") end))
conflict2 = {inner = "string"}
print(pcall(function() module("conflict2.inner.deeper") end))
print(pcall(function() module() end))
print(pcall(function() module({}) end))
print(pcall(module, "frompcall"))
print(type(frompcall), type(package.loaded.frompcall))
