-- a local captured inside a loop is closed correctly when the loop breaks
local fs = {}
for i = 1, 10 do
  local v = i * 100
  fs[#fs + 1] = function() v = v + 1 return v end
  if i == 3 then break end
end
print(#fs, fs[1](), fs[2](), fs[3](), fs[3]())
local g
while true do
  local x = "captured"
  g = function() return x end
  break
end
print(g())
