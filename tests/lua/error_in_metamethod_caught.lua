-- errors raised inside metamethods propagate to pcall
local t = setmetatable({}, {
  __index = function(_, k) error("index " .. k) end,
  __add = function() error("add failed", 0) end,
  __call = function() error({"table error"}) end,
})
print(pcall(function() return t.foo end))
print(pcall(function() return t + 1 end))
local ok, e = pcall(function() return t() end)
print(ok, e[1])
