-- os.date("!*t"): the fields of the broken-down UTC time.
local function show(t)
  print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
end
show(os.date("!*t", 0))
show(os.date("!*t", 86400))
show(os.date("!*t", 951782400))
show(os.date("!*t", 1700000000))
show(os.date("!*t", -1))
show(os.date("!*t\0ignored", 0))
local n = 0 for k in pairs(os.date("!*t", 0)) do n = n + 1 end print(n)
print(type(os.date("*t").isdst), type(os.date("*t", 0).year))
