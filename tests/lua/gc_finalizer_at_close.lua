-- finalizers of live userdata run when the state closes, newest first
local a = newproxy(true)
getmetatable(a).__gc = function() print("closing a") end
local b = newproxy(true)
getmetatable(b).__gc = function() print("closing b") end
print("end of chunk")
