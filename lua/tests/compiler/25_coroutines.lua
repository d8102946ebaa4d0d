-- Producer/consumer with coroutines.
local function producer(items)
  return coroutine.create(function()
    for _, item in ipairs(items) do
      coroutine.yield(item)
    end
    return "done"
  end)
end

local function consume(co)
  local results = {}
  while true do
    local ok, value = coroutine.resume(co)
    if not ok then error(value) end
    if coroutine.status(co) == "dead" then break end
    results[#results + 1] = value
  end
  return results
end

local gen = coroutine.wrap(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(gen(1, 2), gen(10), gen(3, 4))
print(#consume(producer({ 1, 2, 3 })))
