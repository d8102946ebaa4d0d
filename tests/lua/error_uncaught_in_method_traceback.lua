-- traceback names for methods, fields and upvalues
local obj = {}
function obj:run(n)
  if n == 0 then error("bottom") end
  return self:run(n - 1) + 1
end
obj:run(2)
