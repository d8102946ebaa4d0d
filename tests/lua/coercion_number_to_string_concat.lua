-- numbers are converted to strings by concatenation
print(1 .. 2, 1 .. "", "x" .. 1.5, 10 .. 20 .. 30)
print(-1 .. -2)
print(2^53 .. "", 1e100 .. "")
local n = 42
print(n .. "", type(n .. ""))
print(pcall(function() return "x" .. nil end))
print(pcall(function() return {} .. "x" end))
