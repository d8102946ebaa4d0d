-- os.tmpname creates a new file named /tmp/lua_XXXXXX; names are unique.
local a, b = os.tmpname(), os.tmpname()
print(#a, a ~= b)
local ok, msg, code = os.rename(a, "/tmp/lua_" .. "tmpname_check_" .. #a)
print(ok, msg, code)
print(os.remove("/tmp/lua_tmpname_check_15"), os.remove(b))
