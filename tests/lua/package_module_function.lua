-- module() creates the module table, names it and becomes the caller's environment
package.path = "./fixtures/?.lua;./fixtures/pkgdir/?.lua"
local m = require("pkg_plainmodule")
print(type(m), m == pkg_plainmodule, m._NAME, m._PACKAGE == "", m._M == m)
print(m.show())
print(m.print, rawget(m, "x"))
local deep = require("deep.mod")
print(deep == deep.mod, deep.get())
print(deep._PACKAGE, deep._NAME, deep.value, deep.print == print)
print(package.loaded["deep.mod"] == deep)
