-- return must be the last statement in a block
print(loadstring("return 1 print(2)"))
print(loadstring("do return end print(2)") ~= nil)
print(loadstring("return;") ~= nil)
print(loadstring("return 1; return 2"))
