-- while a module runs, package.loaded[name] holds a userdata sentinel
package.preload.watch = function(name)
  print(type(package.loaded[name]))
  return "done"
end
print(require("watch"), package.loaded.watch)
package.preload.nested = function(name)
  print(pcall(require, name))
  return nil
end
print(require("nested"))
