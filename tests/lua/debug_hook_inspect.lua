-- Inside a hook, level 2 is the hooked function: its current line and locals.
local first = "first local of main"
local seen = {}
local function hook(event, line)
  local info = debug.getinfo(2, "Sl")
  local name, value = debug.getlocal(2, 1)
  seen[#seen + 1] = event .. " " .. tostring(line) .. " " .. info.currentline .. " " .. tostring(name) .. "=" .. tostring(value)
end
local function work(p, unused)
  local q = p + 1
  return q
end
debug.sethook(hook, "l")
work(10)
debug.sethook()
for _, s in ipairs(seen) do print(s) end
-- the hook function itself is not hooked, and sees its own frame at level 1
local inside = {}
debug.sethook(function(e, l)
  local me = debug.getinfo(1, "S")
  inside[#inside + 1] = me.what .. ":" .. me.linedefined
end, "l")
local z = 1
debug.sethook()
print(unpack(inside))
