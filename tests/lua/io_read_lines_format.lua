-- "*l" and the default format: lines without their newline, nil at end of file
local f = io.open("fixtures/io_lines.txt")
print("[" .. f:read() .. "]")
print("[" .. f:read("*l") .. "]")
print("[" .. f:read("*line") .. "]")
print("[" .. f:read("*l") .. "]")
print("[" .. f:read("*l") .. "]")
print(f:read("*l"))
print(f:read())
f:close()
local t = io.tmpfile()
t:write("crlf\r\n\n\nend\n")
t:seek("set")
local n = 0
while true do
  local l = t:read("*l")
  if not l then break end
  n = n + 1
  print(n, "[" .. l .. "]", #l)
end
t:close()
