-- uncaught: indexing an upvalue holding a number
local u = 7
local function get() return u.field end
print(get())
