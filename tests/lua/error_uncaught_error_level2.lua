-- uncaught: error with level 2 blames the caller
local function check(x)
  if type(x) ~= "number" then error("expected a number", 2) end
end
check(1)
check("no")
