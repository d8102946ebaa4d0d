-- How a function was called gives its name and namewhat.
local function who() local i = debug.getinfo(3, "n") return i.name, i.namewhat end
local function report() print(who()) end
function global_fn() report() end
global_fn()
local function local_fn() report() end
local_fn()
local t = { field = function() report() end }
t.field()
function t:method() report() end
t:method()
local up = function() report() end
local function uses_up() up() end
uses_up()
local function named(n)
  local i = debug.getinfo(1, "n")
  print(i.name, i.namewhat)
end
named()
local alias = named
alias()
t[1] = named
t[1]()
local ok = pcall(named)
for _ in (function() named() return nil end) do end
local function tail() return named() end
tail()
setmetatable(t, { __index = function() named() end })
local _ = t.missing
