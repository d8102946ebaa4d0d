-- Producer/consumer with a filter in between, passing values through resume/yield.
local function receive(prod)
  local status, value = coroutine.resume(prod)
  return value
end
local function send(x)
  coroutine.yield(x)
end
local function producer()
  return coroutine.create(function()
    for _, line in ipairs({"alpha", "beta", "gamma", "delta"}) do
      send(line)
    end
    send(nil)
  end)
end
local function filter(prod)
  return coroutine.create(function()
    local n = 1
    while true do
      local x = receive(prod)
      if x == nil then send(nil) break end
      send(n .. " " .. x)
      n = n + 1
    end
  end)
end
local function consumer(prod)
  while true do
    local x = receive(prod)
    if x == nil then break end
    print(x)
  end
end
consumer(filter(producer()))

-- values flow both ways
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return d + e, "end"
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.resume(co))
