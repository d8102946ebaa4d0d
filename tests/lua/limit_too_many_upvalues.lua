-- more than 60 upvalues in one function is rejected
local decl, use = "", ""
for i = 1, 61 do
  decl = decl .. "local u" .. i .. " = " .. i .. "\n"
  use = use .. "u" .. i .. " = 0\n"
end
print(loadstring(decl .. "return function()\n" .. use .. "end"))
