-- nested pcalls each catch their own error
local function inner() error("inner error", 0) end
local function outer()
  local ok, e = pcall(inner)
  print("inner caught:", ok, e)
  error("outer error", 0)
end
print(pcall(outer))
print(pcall(pcall, error, "x"))
print(pcall(pcall))
local depth = 0
local function nest(n)
  if n == 0 then error("deep", 0) end
  local ok, e = pcall(nest, n - 1)
  depth = depth + 1
  error(e .. "+", 0)
end
print(pcall(nest, 5))
print(depth)
