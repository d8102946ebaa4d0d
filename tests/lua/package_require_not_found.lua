-- the "not found" message lists every place searched
package.path = "./fixtures/?.lua;./fixtures/?/init.lua;;;"
package.cpath = "./fixtures/?.so;./?.dylib"
print(pcall(require, "no_such_module"))
print(pcall(require, "no.such.module"))
package.path = ""
package.cpath = ""
print(pcall(require, "empty_paths"))
print(pcall(function() require("plain") end))
