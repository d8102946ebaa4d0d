-- Long stacks are cut after 12 levels, keeping the last 10.
local function rec(n)
  if n == 0 then return debug.traceback("deep") end
  local s = rec(n - 1)
  return s
end
print(rec(30))
print(rec(10))
print(rec(11))
print(rec(12))
