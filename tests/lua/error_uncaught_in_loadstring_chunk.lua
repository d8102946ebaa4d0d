-- an error inside a loadstring chunk names it [string "..."]
local f = loadstring("local a = 1\nlocal b = nil\nreturn a + b")
f()
