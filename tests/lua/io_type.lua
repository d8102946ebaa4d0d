-- io.type: "file", "closed file" or nil
local f = io.tmpfile()
print(io.type(f), io.type(io.stdin), io.type(io.stdout), io.type(io.stderr))
f:close()
print(io.type(f))
print(io.type(nil), io.type(1), io.type("file"), io.type({}), io.type(print))
print(io.type(newproxy()), io.type(newproxy(true)))
print(pcall(io.type))
print(type(io.stdout), type(f))
