-- an uncaught error from a string function: message and traceback
print("before")
local function helper(s)
  return s:rep("many")
end
helper("x")
print("not reached")
