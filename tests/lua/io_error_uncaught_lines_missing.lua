-- an uncaught error from io.lines on a missing file
print("start")
for l in io.lines("fixtures/missing_for_uncaught.txt") do
  print(l)
end
