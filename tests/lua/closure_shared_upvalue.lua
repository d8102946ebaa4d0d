-- closures created in the same scope share their upvalues
local function counter()
  local n = 0
  local function inc() n = n + 1 return n end
  local function get() return n end
  return inc, get
end
local inc, get = counter()
inc() inc()
print(get())
local inc2, get2 = counter()
inc2()
print(get(), get2())
