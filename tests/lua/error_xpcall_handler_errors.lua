-- an error inside the xpcall message handler
local ok, e = xpcall(function() error("first") end, function(m) error("in handler") end)
print(ok, type(e), e)
print(xpcall(function() return "fine" end, function(m) error("never") end))
