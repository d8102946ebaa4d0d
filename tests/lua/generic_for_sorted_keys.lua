-- collect hash keys with pairs and sort them with an insertion sort
local t = {banana = 3, apple = 1, cherry = 2, date = 4}
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
for i = 2, #keys do
  local v, j = keys[i], i - 1
  while j >= 1 and keys[j] > v do keys[j + 1] = keys[j] j = j - 1 end
  keys[j + 1] = v
end
for _, k in ipairs(keys) do print(k, t[k]) end
