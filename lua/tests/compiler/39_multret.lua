local function mr() return 1, 2, 3 end
local a, b, c, d = mr()
local e = mr()
local f, g = mr(), 10
local h, i, j = 0, mr()
local t = { mr(), mr() }
local u = { mr(), (mr()) }
print(mr())
print(mr(), mr())
print((mr()))
local s = select(2, mr())
return mr(), mr()
