-- Call and return hooks, for Lua and C functions, with names from getinfo.
local log = {}
local function hook(event)
  local info = debug.getinfo(2, "nS")
  log[#log + 1] = event .. " " .. tostring(info.name) .. " " .. info.what
end
local function square(x) return x * x end
local function sum(a, b) return square(a) + square(b) end
debug.sethook(hook, "cr")
local r = sum(2, 3)
local s = tostring(r)
debug.sethook()
for _, l in ipairs(log) do print(l) end
print(r, s)
log = {}
debug.sethook(hook, "c")
sum(1, 1)
debug.sethook()
for _, l in ipairs(log) do print(l) end
log = {}
debug.sethook(hook, "r")
sum(1, 1)
debug.sethook()
for _, l in ipairs(log) do print(l) end
