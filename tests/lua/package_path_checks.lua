-- package.path/cpath must be strings; numbers are converted
package.path = nil
print(pcall(require, "p1"))
package.path = 5
package.cpath = "./fixtures/?.none"
print(pcall(require, "p2"))
package.path = "./fixtures/?.lua"
package.cpath = {}
print(pcall(require, "p3"))
print(pcall(require, "pkg_basic") and pkg_basic_runs)
print(pcall(require))
print(pcall(require, {}))
