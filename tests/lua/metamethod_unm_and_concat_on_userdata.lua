-- metamethods work on userdata too
local u = newproxy(true)
local mt = getmetatable(u)
mt.__unm = function() return "negated" end
mt.__concat = function(a, b) return "cat" end
mt.__call = function(self, x) return "called " .. tostring(x) end
print(-u, u .. "x", "x" .. u, u(5))
