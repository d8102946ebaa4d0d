-- not binds tighter than ==; comparisons bind tighter than and/or
print(not 1 == 2)
print(not (1 == 2))
print(1 < 2 == true)
print(1 + 2 < 4 and "yes" or "no")
print(not nil and 1 or 2)
print(#"abc" + 1, -#"ab")
