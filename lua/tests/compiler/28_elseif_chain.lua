local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  elseif n < 100 then return "medium"
  elseif n < 1000 then return "large"
  else return "huge" end
end
local function grade(score)
  local g
  if score >= 90 then g = "A" elseif score >= 80 then g = "B"
  elseif score >= 70 then g = "C" elseif score >= 60 then g = "D" else g = "F" end
  return g
end
for _, v in ipairs({ -5, 0, 5, 50, 500, 5000 }) do print(classify(v), grade(v)) end
if true then elseif false then else end
if x then local a = 1 elseif y then local b = 2 end
