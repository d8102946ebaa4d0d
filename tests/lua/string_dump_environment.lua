-- a loaded dumped function gets the global environment and keeps its debug info
local function get() return answer end
answer = 42
local g = loadstring(string.dump(get))
print(g())
setfenv(g, {answer = "env"})
print(g(), get())
local function fail() local t = nil; return t.field end
local ok, e = pcall(loadstring(string.dump(fail)))
print(ok, e)
local function boom() error("boom") end
print(pcall(loadstring(string.dump(boom))))
print(pcall(loadstring(string.dump(boom), "=other")))
