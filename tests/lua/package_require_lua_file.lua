-- require finds a Lua file through package.path, runs it once with its name, caches the result
package.path = "./fixtures/?.lua"
local m = require("pkg_basic")
print(type(m), m.name, m.greet("world"), pkg_basic_runs)
local again = require "pkg_basic"
print(again == m, pkg_basic_runs, package.loaded.pkg_basic == m)
package.loaded.pkg_basic = nil
local third = require("pkg_basic")
print(third ~= m, pkg_basic_runs)
print(require("pkg_shebang"))
