-- standard input is empty here (/dev/null): every read reports end of file
print(io.read())
print(io.read("*l"))
print(io.read("*n"))
print(io.read(0))
print(io.read(5))
print("[" .. io.read("*a") .. "]")
print(io.stdin:read("*l", "*l"))
local n = 0
for l in io.lines() do n = n + 1 end
print(n)
for l in io.stdin:lines() do n = n + 1 end
print(n, io.type(io.stdin))
