-- an error caught by pcall and raised again keeps its original message
local ok, e = pcall(function() local t = nil return t.x end)
print(ok)
error(e, 0)
