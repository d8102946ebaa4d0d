-- tail calls through methods and with varargs
local obj = {}
function obj:down(n, ...) if n == 0 then return select('#', ...), ... end return self:down(n - 1, ...) end
print(obj:down(200000, "a", "b"))
local function id(...) return ... end
local function tc(n) if n == 0 then return id(1, 2, 3) end return tc(n - 1) end
print(tc(150000))
