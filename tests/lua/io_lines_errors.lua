-- io.lines with a missing file or a bad argument raises; a closed file's iterator too
print(pcall(function() io.lines("fixtures/missing_file.txt") end))
print(pcall(function() io.lines({}) end))
print(pcall(function() for l in io.lines("fixtures/missing_file.txt") do end end))
local f = io.open("fixtures/io_lines.txt")
local it = f:lines()
f:close()
print(pcall(function() it() end))
print(pcall(function() f:lines() end))
local iter = io.lines("fixtures/io_lines.txt")
while iter() do end
print(pcall(iter))
