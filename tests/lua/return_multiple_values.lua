-- returning multiple values and truncation rules
local function mr() return 1, 2, 3 end
local t = {mr()}
print(#t)
print(mr())
print((mr()))
print(mr(), 10)
local function wrap() return mr() end
print(wrap())
local function paren() return (mr()) end
print(paren())
