-- an error while running a module leaves the sentinel behind: the next require reports a loop
package.path = "./fixtures/?.lua"
print(pcall(require, "pkg_runtime_error"))
print(type(package.loaded.pkg_runtime_error), pkg_runtime_error_runs)
print(pcall(require, "pkg_runtime_error"))
package.loaded.pkg_runtime_error = nil
print(pcall(require, "pkg_runtime_error"))
print(pkg_runtime_error_runs)
