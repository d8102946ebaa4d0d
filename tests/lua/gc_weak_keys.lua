-- entries with collected keys vanish from a weak-keyed table; strongly held keys stay
local weak = setmetatable({}, {__mode = "k"})
local strong = {}
for i = 1, 10 do
  local k = {}
  weak[k] = i
  if i % 2 == 0 then strong[#strong + 1] = k end
end
collectgarbage()
local n, sum = 0, 0
for k, v in pairs(weak) do n = n + 1; sum = sum + v end
print("left", n, sum)
weak["str"] = 1
collectgarbage()
print("string key kept", weak.str)
