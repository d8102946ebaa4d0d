-- call syntax sugar: f"str", f[[str]], f{table}, method call on string literals
local function show(x) if type(x) == "table" then return "table " .. #x end return "string " .. x end
print(show"abc")
print(show[[long]])
print(show{1, 2, 3})
local o = {show = function(self, x) return show(x) end}
print(o:show"m")
print(o:show{1})
