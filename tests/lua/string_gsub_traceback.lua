-- an error inside a gsub replacement function: the traceback shows gsub's frame
local function replace(w)
  if w == "b" then error("bad word: " .. w) end
  return w:upper()
end
print((string.gsub("a c", "%a", replace)))
string.gsub("a b c", "%a", replace)
