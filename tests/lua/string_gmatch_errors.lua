-- gmatch argument errors come at the call, pattern errors at each step
print(pcall(string.gmatch))
print(pcall(string.gmatch, "abc"))
print(pcall(string.gmatch, {}, "a"))
local it = string.gmatch("abc", "(")
print(type(it))
print(pcall(it))
print(pcall(function() for x in ("abc"):gmatch("[a") do end end))
