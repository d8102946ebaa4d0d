-- package.preload is searched first; the loader gets the module name
package.path = "./fixtures/?.lua"
package.preload.pre = function(...)
  print("preload called with", ...)
  return {value = 7}
end
print(require("pre").value, require("pre") == package.loaded.pre)
package.preload["pkg_basic"] = function() return "from preload" end
print(require("pkg_basic"))
package.preload.weird = 5
print(pcall(require, "weird"))
package.preload.errs = function() error("preload failed") end
print(pcall(require, "errs"))
package.preload = nil
print(pcall(require, "whatever"))
