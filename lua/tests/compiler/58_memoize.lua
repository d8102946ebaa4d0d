local function memoize(fn)
  local cache = setmetatable({}, { __mode = "k" })
  return function(n)
    local v = cache[n]
    if v == nil then
      v = fn(n)
      cache[n] = v
    end
    return v
  end
end
local slow_fib
slow_fib = memoize(function(n)
  if n < 2 then return n end
  return slow_fib(n - 1) + slow_fib(n - 2)
end)
print(slow_fib(80))
