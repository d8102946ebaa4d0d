-- a syntax error in the main file: nothing runs, exit status 1
print("never printed")
local x = 1
if x then
  print(x
end
