-- package.loaders may be replaced; strings accumulate, other values are skipped
package.loaders = {
  function(name) return 42 end,
  function(name) return nil end,
  function(name) return {} end,
  function(name) return "\n\tcustom searcher: " .. name end,
}
print(pcall(require, "zz"))
local calls = 0
package.loaders = {
  function(name) calls = calls + 1 return "\n\tfirst" end,
  function(name) calls = calls + 1 return function(n, extra) return {n = n, extra = extra} end end,
  function(name) calls = calls + 1 return "never" end,
}
local m = require("found")
print(m.n, m.extra, calls)
package.loaders = {function(name) error("searcher error") end}
print(pcall(require, "boom"))
package.loaders = {function(name) error({code = 1}) end}
local ok, e = pcall(require, "tbl")
print(ok, type(e), e.code)
package.loaders = nil
print(pcall(require, "x"))
package.loaders = {}
print(pcall(require, "y"))
