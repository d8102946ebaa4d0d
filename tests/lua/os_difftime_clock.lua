-- os.difftime (time_t truncation) and os.clock (a number of CPU seconds).
print(os.difftime(10, 4), os.difftime(4, 10), os.difftime(3))
print(os.difftime(5.7, 1.2), os.difftime(-1.5, 0.5))
print(os.difftime(2^53, 1), os.difftime(1e20, 0))
print(os.difftime(os.time{year = 2001, month = 1, day = 1}, os.time{year = 2000, month = 1, day = 1}))
print(pcall(os.difftime))
print(pcall(os.difftime, 1, "x"))
local c = os.clock()
print(type(c), c >= 0, math.floor(c) <= c)
local x = 0 for i = 1, 1e5 do x = x + i end
print(os.clock() >= c)
