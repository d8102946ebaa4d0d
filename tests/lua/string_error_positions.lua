-- errors raised by string functions carry the caller's position; argument errors name the function
local function call(f) local ok, e = pcall(f) print(e) end
call(function() return string.rep() end)
call(function() return ("x"):rep() end)
call(function() local s = "x" return s.rep(s) end)
call(function() return string.find("a", "[") end)
call(function() return string.format("%y", 1) end)
call(function() return string.gsub("a", "a", true) end)
call(function() return string.gsub("a", "a", function() return {} end) end)
call(function() return string.char(-1) end)
call(function() return ("x"):char() end)
call(function() local up = string.upper return up() end)
call(function() return string.byte(string.rep("x", 9000), 1, -1) end)
call(function() for w in ("a"):gmatch("%") do end end)
