-- xpcall calls the handler with the error value and returns its result
print(xpcall(function() return "ok", 2 end, print))
print(xpcall(function() error("bad") end, function(e) return "handled: " .. e end))
print(xpcall(function() error({}) end, function(e) return type(e) end))
print(xpcall(function() local x = nil return x.y end, function(e) return e end))
