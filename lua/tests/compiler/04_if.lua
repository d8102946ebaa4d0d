local x = tonumber(arg and arg[1]) or 5
if x > 3 then
  print("big")
elseif x > 1 then
  print("medium")
elseif x == 1 then
  print("one")
else
  print("small")
end
if x then end
if not x then print(1) end
if x and y then print(2) end
if x or y then print(3) end
if x == nil then print(4) end
if x ~= 2 and (y or z) then print(5) else print(6) end
