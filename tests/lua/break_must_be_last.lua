-- break must be the last statement of a block in 5.1
print(loadstring("while true do break print(1) end"))
print(loadstring("while true do do break end print(1) end") ~= nil)
print(loadstring("for i=1,2 do break; end") ~= nil)
