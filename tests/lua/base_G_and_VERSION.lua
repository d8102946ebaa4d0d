-- _G holds the globals and itself; _VERSION names the language version
print(_VERSION)
print(_G._G == _G, _G.print == print, type(_G))
newglobal = 123
print(_G.newglobal, rawget(_G, "newglobal"))
_G.viaG = "set via _G"
print(viaG)
local count = 0
for _, name in ipairs({"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
  "print", "rawequal", "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring",
  "type", "unpack", "xpcall", "loadstring", "newproxy"}) do
  if type(_G[name]) == "function" then count = count + 1 end
end
print(count)
