-- native modules cannot be loaded here: loadlib fails and a found C module is an error
local f, msg, where = package.loadlib("./fixtures/no_such_lib.so", "luaopen_x")
print(f, type(msg), where == "open" or where == "absent")
print(pcall(package.loadlib))
print(pcall(package.loadlib, "x"))
package.path = ""
package.cpath = "./fixtures/?.so"
local ok, err = pcall(require, "pkg_fake_native")
print(ok, type(err))
local ok2, err2 = pcall(require, "pkg_fake_native.sub")
print(ok2, type(err2))
