-- the position in an error message is the line of the failing operation
local function f()
  local a = {}
  local b = a.x
  return b.y
end
print(pcall(f))
