-- collectgarbage("count") reflects live data: it grows with a big table and shrinks once freed
collectgarbage()
local before = collectgarbage("count")
local t = {}
for i = 1, 100000 do t[i] = {i} end
local during = collectgarbage("count")
t = nil
collectgarbage()
local after = collectgarbage("count")
print(during > before + 1000, after < during / 2, type(gcinfo()))
print(collectgarbage("step"), collectgarbage("setpause", 150), collectgarbage("setpause", 200))
print(collectgarbage("setstepmul", 300), collectgarbage("setstepmul", 200))
print(pcall(collectgarbage, "bogus"))
