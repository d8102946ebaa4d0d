-- lib: string building with string.format, string.rep, table.concat, string.sub/byte/char.
local N = tonumber(arg and arg[1]) or 720000
local format, rep, concat = string.format, string.rep, table.concat
local sub, byte, char, upper = string.sub, string.byte, string.char, string.upper

local total = 0
for r = 1, N / 1000 do
  local parts = {}
  for i = 1, 1000 do
    parts[i] = format("%5d|%-8s|%08.3f|%x", i, "n" .. (i % 10), i / 7, i * 31)
  end
  local s = concat(parts, "\n")
  total = total + #s
  total = total + #concat(parts, ",", 100, 900)
end

for i = 1, N do
  local s = rep("ab", i % 20) .. rep("-", 3)
  total = total + #s
  local u = upper(sub(s, 2, 8))
  total = total + #u + (byte(s, 1) or 0)
  total = total + #char(65 + i % 26, 97 + i % 26)
end

local buf = {}
for i = 1, N do
  buf[#buf + 1] = format("%g", i * 0.37)
  if #buf >= 500 then
    total = total + #concat(buf)
    buf = {}
  end
end
print(format("lib_string_build %d %d", N, total))
