print("start")
local function helper()
  undefined_function()
end
helper()
