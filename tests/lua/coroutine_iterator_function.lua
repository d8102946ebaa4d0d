-- A Lua function iterator driving a coroutine; results travel through the generic for.
local function each(co)
  return function()
    local ok, a, b = coroutine.resume(co)
    if ok then return a, b end
    return nil
  end
end
local co = coroutine.create(function()
  for i = 1, 4 do coroutine.yield(i, i * 100) end
end)
for i, s in each(co) do print(i, s) end
print(coroutine.status(co))

-- an iterator with more results than the loop wants
local function many()
  local n = 0
  return function()
    n = n + 1
    if n > 3 then return nil end
    return n, n * 2, n * 3, n * 4, n * 5
  end
end
for a, b in many() do print(a, b) end
