-- a decimal escape above 255 is an error
print(loadstring('x = "\\256"'))
print(loadstring('x = "\\255"') ~= nil)
print(loadstring('x = "\\999"'))
