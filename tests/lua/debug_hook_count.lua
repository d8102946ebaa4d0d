-- Count hooks fire every n instructions (instructions run inside the hook count too).
local n = 0
local function tick() n = n + 1 end
debug.sethook(tick, "", 1)
local x = 0
for i = 1, 10 do x = x + i end
debug.sethook()
print("every 1", n)
n = 0
debug.sethook(tick, "", 7)
for i = 1, 100 do x = x + i end
debug.sethook()
print("every 7", n)
n = 0
debug.sethook(tick, "", 1000)
for i = 1, 100 do x = x + i end
debug.sethook()
print("every 1000", n)
-- count and line together
local events = {}
debug.sethook(function(e, l) events[#events + 1] = e .. (l and (":" .. l) or "") end, "l", 3)
local a = 1
local b = 2
local c = a + b
debug.sethook()
print(unpack(events))
