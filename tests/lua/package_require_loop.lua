-- a module requiring itself (indirectly) is reported as a loop
package.path = "./fixtures/?.lua"
print(pcall(require, "pkg_loop_a"))
print(type(package.loaded.pkg_loop_a), package.loaded.pkg_loop_a == package.loaded.pkg_loop_b)
print(pcall(require, "pkg_loop_b"))
