-- a typical default-value table with __index and rawset caching
local cache_misses = 0
local squares = setmetatable({}, {__index = function(t, k)
  cache_misses = cache_misses + 1
  local v = k * k
  rawset(t, k, v)
  return v
end})
print(squares[4], squares[4], squares[5], cache_misses)
