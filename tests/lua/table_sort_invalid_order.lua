-- Invalid order functions: results and errors exactly as 5.1's quicksort produces them.
local function show(t) print(table.concat(t, " ")) end
for n = 2, 14 do
  local t = {} for i = 1, n do t[i] = (i * 7) % 5 end
  local ok, err = pcall(table.sort, t, function(a, b) return a <= b end)
  print(n, ok, err) show(t)
end
local t = {3, 1, 2} table.sort(t, function() return true end) show(t)
t = {5, 4, 3, 2, 1} print(pcall(table.sort, t, function() return true end)) show(t)
t = {5, 4, 3, 2, 1, 9, 8, 7} print(pcall(table.sort, t, function() return false end)) show(t)
t = {1, 2, 3, 4, 5, 6, 7} print(pcall(table.sort, t, function(a, b) return a ~= b end)) show(t)
-- with a position when called from Lua code
print(pcall(function() table.sort({5, 4, 3, 2, 1}, function() return true end) end))
