-- dots in module names become directory separators; ?/init.lua templates work
package.path = "./fixtures/?.lua;./fixtures/pkgdir/?/init.lua"
local sub = require("pkgdir.sub")
print(sub.where, sub.name, package.loaded["pkgdir.sub"] == sub)
local init = require("initpkg")
print(init.where, init.name)
print(pkgdir)
