-- an uncaught "module not found" error
package.path = "./fixtures/?.lua"
package.cpath = ""
require("missing_module_uncaught")
