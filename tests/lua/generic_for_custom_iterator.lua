-- a closure-based iterator
local function range(n)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i, i * i end
  end
end
for i, sq in range(4) do print(i, sq) end
