-- if / elseif / else chains
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  else return "large" end
end
print(classify(-5), classify(0), classify(3), classify(99))
if nil then print("nil is true?") else print("nil is false") end
if 0 then print("0 is true") end
if "" then print("empty string is true") end
if false then elseif false then else print("else") end
