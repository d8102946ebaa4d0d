-- os.time reads the date fields through __index, in 5.1's order.
local mt = {__index = function(t, k)
  print("index", k)
  if k == "day" then return 5 elseif k == "month" then return 2 elseif k == "year" then return 2001 end
end}
print(os.time(setmetatable({}, mt)))
print(pcall(os.time, setmetatable({}, {__index = function(t, k) print("index", k) end})))
print(os.time(setmetatable({}, {__index = {day = 3, month = 3, year = 2003, hour = 1}})))
print(pcall(os.time, setmetatable({}, {__index = function() error("no fields") end})))
