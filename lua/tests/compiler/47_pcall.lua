local ok, err = pcall(function() error("boom") end)
local ok2, err2 = pcall(error, { code = 1 })
local function thrower(level) error("level " .. level, level) end
local results = { pcall(thrower, 1) }
local ok3 = xpcall(function() return nil + 1 end, function(m) return "handled: " .. m end)
print(ok, err, ok2, type(err2), results[2], ok3)
assert(type(err) == "string", "expected string")
