-- file handles share one metatable whose __index is itself
local mt = getmetatable(io.stdout)
print(type(mt), mt.__index == mt, getmetatable(io.stdin) == mt)
local f = io.tmpfile()
print(getmetatable(f) == mt)
for _, name in ipairs({"close", "flush", "lines", "read", "seek", "setvbuf", "write", "__gc", "__tostring"}) do
  print(name, type(mt[name]), f[name] == mt[name])
end
print(f.nonexistent, io.close == mt.close, io.read == mt.read)
print(tostring(f) == mt.__tostring(f))
f:close()
print(mt.__tostring(f))
print(mt.__gc(f))
local g = io.tmpfile()
print(mt.__gc(g))
print(io.type(g))
print(pcall(mt.__tostring, {}))
