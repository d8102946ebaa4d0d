-- a module with a syntax error: the loader reports the file and the compiler's message
package.path = "./fixtures/?.lua"
print(pcall(require, "pkg_syntax"))
print(package.loaded.pkg_syntax)
print(pcall(require, "pkg_syntax"))
