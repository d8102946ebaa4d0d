-- a vararg function that does not use ... gets the 5.0-style 'arg' table
local function f(...)
  return arg and arg.n, arg and arg[1]
end
print(f(10, 20))
local function g(...)
  local x = ...
  return arg
end
print(g(1))
