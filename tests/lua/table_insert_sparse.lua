-- insert/remove around holes and beyond the border.
local t = {1, 2, 3}
table.insert(t, 6, "six")
print(#t, t[4], t[5], t[6], table.maxn(t))
table.insert(t, "end")
print(#t, t[4])
t = {}
table.insert(t, 1, "a") table.insert(t, 1, "b") table.insert(t, 1, "c")
print(table.concat(t, ","))
for i = 1, 3 do print(table.remove(t, 1), #t) end
print(table.remove(t), #t)
t = {1, 2, 3, nil, 5}
print(#t, table.remove(t), #t)
t = {n = 1}
print(table.remove(t), t.n)
