local a, b, c = 1, 2, 3
local function l1()
  local d = 4
  local function l2()
    local e = 5
    local function l3()
      a = a + 1
      return a + b + c + d + e
    end
    b = b + e
    return l3
  end
  c = c + d
  return l2
end
local x = l1()()()
local function shared()
  local n = 0
  local function inc() n = n + 1 end
  local function get() return n end
  return inc, get
end
local inc, get = shared()
inc()
print(get(), x)
