-- strings are converted to numbers in arithmetic
print("10" + 1, "3" * "4", "2" ^ "3", "7" - 2, "9" / "3", "7" % "4")
print("0x10" + 0, "1e1" * 1, " 5 " + 1, "-2" + 0)
print(-"3", "  0x1F  " + 0, ".5" + 0, "5." + 0)
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return "10a" * 1 end))
print(pcall(function() return "" + 1 end))
