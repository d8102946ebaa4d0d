-- A generator built with coroutine.wrap, used in a for-in loop.
local function range(n, step)
  return coroutine.wrap(function()
    for i = 1, n, step or 1 do
      coroutine.yield(i, i * i)
    end
  end)
end
for i, sq in range(5) do
  print(i, sq)
end
for i in range(10, 3) do
  print(i)
end


-- permutations generator (PiL)
local function permgen(a, n)
  n = n or #a
  if n <= 1 then
    coroutine.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return coroutine.wrap(function() permgen(a) end)
end
for p in permutations({"a", "b", "c"}) do
  print(p[1], p[2], p[3])
end
