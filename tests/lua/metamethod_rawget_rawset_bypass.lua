-- rawget/rawset ignore __index/__newindex
local t = setmetatable({}, {
  __index = function() return "from index" end,
  __newindex = function() error("newindex called") end,
})
print(t.x, rawget(t, "x"))
rawset(t, "x", 1)
print(t.x, rawget(t, "x"))
print(rawset(t, "y", 2) == t)
print(pcall(function() t.z = 3 end))
