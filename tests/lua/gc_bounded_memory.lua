-- a long loop of short-lived tables and strings runs in bounded memory
local peak = 0
for i = 1, 1000000 do
  local t = {i, tostring(i), {x = i}}
  local s = "key" .. i .. t[2]
  if i % 10000 == 0 then
    local kb = collectgarbage("count")
    if kb > peak then peak = kb end
  end
end
print("peak below 20 MB:", peak < 20 * 1024)
