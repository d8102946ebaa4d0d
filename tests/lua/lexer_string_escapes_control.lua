-- \a \b \f \n \r \t \v and \\ \" \' escapes produce the right bytes
local s = "\a\b\f\n\r\t\v\\\"\'"
print(#s)
print(s == "\7\8\12\10\13\9\11\92\34\39")
print("tab:[\t]")
print("newline:[\n]")
print('single \'quoted\' "double"')
print("double \"quoted\" 'single'")
print("back\\slash")
