-- a call's '(' on a new line is ambiguous in 5.1
print(loadstring("local f = print\nf\n('x')"))
print(loadstring("local a = b\n(f)()"))
print(type(loadstring("local f = print f('x')")))
