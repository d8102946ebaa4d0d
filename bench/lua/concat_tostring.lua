-- core: string concatenation with '..', tostring/tonumber of numbers, #s.
local N = tonumber(arg and arg[1]) or 800000

local total = 0
for i = 1, N do
  local s = "item" .. i .. ":" .. (i * 3) .. "/" .. tostring(i % 97)
  total = total + #s
  local f = tostring(i / 8)
  total = total + #f + tonumber(f) * 8 - i
end

-- repeated append to a growing string (quadratic-ish, bounded)
local acc = 0
for rep = 1, N / 1000 do
  local s = ""
  for i = 1, 200 do s = s .. i .. "," end
  acc = acc + #s
end

-- mixed float formatting
local fl = 0
for i = 1, N / 4 do
  fl = fl + #tostring(i * 0.1) + #(1.5 .. "x" .. i)
end
print("concat_tostring", N, total, acc, fl)
