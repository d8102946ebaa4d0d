-- string.gmatch iterates over matches, returning captures or the whole match
for w in string.gmatch("one two  three", "%a+") do print(w) end
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do print(k, v) end
for p in ("abc"):gmatch("()") do print("pos", p) end
local n = 0
for m in ("abc"):gmatch("") do n = n + 1 end
print("empty matches", n)
for m in ("abc"):gmatch("b*") do print("[" .. m .. "]") end
local it = ("x y"):gmatch("%a")
print(it(), it(), it(), it())
for a, b in ("ab"):gmatch("(a)(b)") do print(a, b) end
for d in string.gmatch(12345, "%d%d") do print(d) end
