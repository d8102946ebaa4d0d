-- require of a standard library returns the already loaded table
print(require("package") == package, require("_G") == _G, require("io") == io)
print(require("io").write == io.write)
package.loaded.io = nil
print(pcall(function() return require("io") end))
