-- Line hooks: new lines, loop back-edges and function entries.
local lines = {}
local function record(event, line) lines[#lines + 1] = line end
local function twice(x)
  local y = x * 2
  return y
end
debug.sethook(record, "l")
local a = twice(1)
for i = 1, 3 do
  a = a + i
end
local b = 0
while b < 2 do b = b + 1 end
if a > 0 then
  a = 0
else
  a = 1
end
debug.sethook()
print(#lines)
print(unpack(lines))
-- one-line loop fires each iteration
lines = {}
debug.sethook(record, "l")
for i = 1, 3 do local z = i end
debug.sethook()
print(unpack(lines))
