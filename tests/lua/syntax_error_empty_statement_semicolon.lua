-- in 5.1 ';' may only follow a statement: empty statements are errors
print(loadstring("local a = 1;;"))
print(loadstring(";"))
print(type(loadstring("local a = 1; local b = 2;")))
print(loadstring("do ; end"))
