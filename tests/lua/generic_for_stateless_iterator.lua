-- a stateless iterator receives the state and the control variable
local function iter(t, i)
  i = i + 1
  local v = t[i]
  if v then return i, v end
end
local function myipairs(t) return iter, t, 0 end
for i, v in myipairs({"p", "q", "r"}) do print(i, v) end
for a, b, c in function(s, c) if c < 3 then return c + 1, s, "extra" end end, "state", 0 do
  print(a, b, c)
end
