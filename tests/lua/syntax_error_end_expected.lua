-- missing 'end' reports where the block was opened
print(loadstring("function f()\n  return 1\n"))
print(loadstring("if x then"))
print(loadstring("while true do\n\n"))
print(loadstring("for i=1,2 do"))
print(loadstring("do\nlocal x = 1"))
print(loadstring("local function f()\nif x then\nend"))
