-- Stateless and closure-based iterators, generic for with several variables.
local function range(n, step)
  step = step or 1
  local i = 0
  return function()
    i = i + step
    if i <= n then return i end
  end
end

local function enumerate(t)
  return function(t, i)
    i = i + 1
    local v = t[i]
    if v ~= nil then return i, v end
  end, t, 0
end

for i in range(5) do io.write(i, " ") end
for i, v in enumerate({ "a", "b", "c" }) do print(i, v) end
for k, v, extra in next, { x = 1 } do print(k, v, extra) end
for a, b, c, d, e in pairs({}) do end
local words = {}
for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w end
print(table.concat(words, ","))
