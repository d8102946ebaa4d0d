-- unbounded non-tail recursion overflows the stack; pcall catches it
-- (without the string library we compare against the possible messages;
-- all of them contain "stack overflow")
local function runaway(n) return 1 + runaway(n + 1) end
local ok, e = pcall(runaway, 1)
print(ok, type(e))
local accepted = {
  ["error_stack_overflow_caught.lua:4: stack overflow"] = true,
  ["error_stack_overflow_caught.lua:4: C stack overflow"] = true,
  ["stack overflow"] = true,
}
print("contains stack overflow:", accepted[e] == true)
-- the program keeps running normally afterwards
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(1000))
