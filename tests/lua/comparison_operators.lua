-- numeric and string comparisons
print(1 < 2, 2 < 1, 1 <= 1, 2 >= 3, 3 > 2)
print("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a" < "aa")
print("10" < "9", 10 < 9)
print(1 == 1.0, "1" == 1, 0 == -0)
print("abc" <= "abc", "b" >= "a")
