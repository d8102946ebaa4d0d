-- "*n" reads like fscanf("%lf"): what it accepts, and what it leaves behind
local cases = {"infin x", "na x", "1e x", "0x1p x", "0x.8 x", "1.5e-3x", " +.5", "0x1.8p1",
  "5", "", "   ", "nano", "-inf", "0x1g", "00012", "1e400", "\t\v\f\r9", "nan x", "inf x",
  "1e+x", "- 5", "+5 x", ".5 x", "5. x", "0x x", "1..2", "  \n 12\n", "0x1p4 x",
  "infinity x", "-.e5", "12abc", "1e5e", "--1", "0X1A", "INF", "3.25e+2rest"}
for _, c in ipairs(cases) do
  local f = io.tmpfile()
  f:write(c)
  f:seek("set")
  local n = f:read("*n")
  print("[" .. c .. "]", n, "[" .. f:read("*a") .. "]")
  f:close()
end
local f = io.open("fixtures/io_numbers.txt")
print(f:read("*n", "*n", "*n", "*n", "*n"))
print(f:read("*number"))
print(f:read("*l"))
f:close()
