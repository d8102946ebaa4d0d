-- what require returns: the module's result, what it stored, or true
package.path = "./fixtures/?.lua"
print(require("pkg_noreturn"), package.loaded.pkg_noreturn, pkg_noreturn_runs)
print(require("pkg_noreturn"), pkg_noreturn_runs)
print(require("pkg_setsloaded"))
print(require("pkg_false"), package.loaded.pkg_false)
print(require("pkg_false"))
print(select("#", require("pkg_noreturn")))
package.loaded.already = "preset value"
print(require("already"))
package.loaded.numeric = 42
print(require("numeric"))
