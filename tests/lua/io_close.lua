-- close returns true; a closed file refuses every method but tostring/io.type
local f = io.open("fixtures/io_lines.txt")
print(io.type(f), f:close(), io.type(f), tostring(f))
for _, m in ipairs({"close", "read", "write", "lines", "seek", "setvbuf", "flush"}) do
  print(m, pcall(f[m], f))
end
print(pcall(io.close, f))
print(pcall(function() f:read() end))
local g = io.open("fixtures/io_lines.txt")
print(io.close(g), io.type(g))
print(pcall(function() io.close({}) end))
print(pcall(function() io.close(1) end))
print(pcall(function() g.close(g, 5) end))
