-- math.pi, math.huge, and numeric-string arguments.
print(math.pi, -math.pi, math.huge, -math.huge, math.huge > 1e308)
print(math.floor("  12.5  "), math.sqrt("16"), math.max("3", "20"), math.fmod("7", "4"))
print(math.abs("0x10"), math.floor("1e2"))
print(pcall(math.floor, "12abc"))
print(pcall(math.sqrt, ""))
print(math.huge - math.huge ~= math.huge - math.huge, math.floor(-0.0))
