-- dumped functions lose their upvalues: they are nil when loaded
local x = 5
local function f() return x end
local g = loadstring(string.dump(f))
print(f(), g())
local counter = 0
local function inc() counter = (counter or 100) + 1; return counter end
local h = loadstring(string.dump(inc))
print(h(), h(), inc(), counter)
local function make() local n = 0 return function() n = n + 1 return n end end
local c = make()
print(c(), c())
print(pcall(loadstring(string.dump(c))))
