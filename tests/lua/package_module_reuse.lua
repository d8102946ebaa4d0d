-- module() reuses an existing table from package.loaded or the globals
existing = {keep = "kept"}
local print, pcall, getfenv = print, pcall, getfenv
local ok = pcall(function()
  module("existing")
  print(keep, _NAME, _PACKAGE)
end)
print(ok)
package.loaded.fromloaded = {_NAME = "custom name"}
local function inner()
  module("fromloaded")
  return _NAME
end
print(inner(), fromloaded)
