-- Counts and nils pass through resume and yield unchanged.
local co = coroutine.create(function(...)
  print("args", select("#", ...), ...)
  local r = { coroutine.yield() }
  print("resumed with", #r)
  print("n", select("#", coroutine.yield(nil, nil, 3)))
  return nil, nil
end)
print(select("#", coroutine.resume(co, nil, 2, nil)))
print(select("#", coroutine.resume(co)))
print(coroutine.resume(co, 1, 2, 3, 4))
print(select("#", coroutine.resume(co, nil)))
print(coroutine.status(co))

-- many values
local co = coroutine.wrap(function(...)
  local t = {...}
  while true do
    t = { coroutine.yield(unpack(t)) }
  end
end)
local function count(...) return select("#", ...) end
print(count(co(1, 2, 3)))
local big = {}
for i = 1, 200 do big[i] = i end
print(count(co(unpack(big))))
print(count(co()))
