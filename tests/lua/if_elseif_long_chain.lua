-- a long elseif chain picks the first true branch only
local function pick(n)
  if n == 1 then return "one"
  elseif n == 2 then return "two"
  elseif n == 3 then return "three"
  elseif n == 4 then return "four"
  elseif n >= 4 then return "four or more"
  end
  return "none"
end
for i = 0, 6 do print(i, pick(i)) end
