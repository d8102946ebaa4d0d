-- A tail-called function returns with "return" then "tail return".
local events = {}
local function hook(e)
  local info = debug.getinfo(2, "S")
  events[#events + 1] = e .. "/" .. info.what
end
local function leaf() return 1 end
local function mid() return leaf() end
debug.sethook(hook, "cr")
mid()
debug.sethook()
print(unpack(events))
