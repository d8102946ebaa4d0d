-- io.lines(name) iterates and closes at the end; file:lines() leaves the file open
local n = 0
for l in io.lines("fixtures/io_lines.txt") do
  n = n + 1
  print(n, "[" .. l .. "]")
end
local f = io.open("fixtures/io_lines.txt")
print(f:read("*l"))
for l in f:lines() do io.write("<", l, ">") end
print()
print(io.type(f), f:read("*l"), f:read("*a"))
print(f:seek("set", 0))
local it = f:lines()
print(it(), it())
f:close()
print(pcall(it))
local iter = io.lines("fixtures/io_lines.txt")
print(type(iter), iter())
