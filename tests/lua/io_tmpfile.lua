-- io.tmpfile: an anonymous read/write file
local t = io.tmpfile()
print(io.type(t), t:seek("cur"))
print(t:write("line 1\n", "line 2\n"))
print(t:seek("cur"), t:seek("set"))
print(t:read("*l"), t:read("*l"), t:read("*l"))
local u = io.tmpfile()
print(u ~= t, u:read("*a") == "")
print(t:close(), u:close())
