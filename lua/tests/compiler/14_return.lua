local function a() return end
local function b() return 1 end
local function c() return 1, 2 end
local function d(x) return x end
local function e(x) return x, x end
local function f(x) return g(x) end
local function g(x) return (g(x)) end
local function h(x) return x.y end
local function i(x) return x:y() end
local function j(...) return ... end
local function k(...) return 1, ... end
local function l(x) return x, g(x) end
local function m() return; end
local function n(x) do return x end end
local function o(x) if x then return 1 else return 2 end end
local function p(x) return x and 1 or 2 end
local function q(x) return not x end
