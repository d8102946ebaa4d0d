-- \ddd decimal escapes take up to three digits
print("\65\66\67")
print("\0651")        -- \065 then '1'
print("\1004")        -- \100 then '4'
print("x\0y" == "x\000y", #"x\0y")
print(#"\0\0\0")
print("\104\101\108\108\111")
print("\255" == "\255", #"\255")
print("\9" == "\t", "\10" == "\n")
