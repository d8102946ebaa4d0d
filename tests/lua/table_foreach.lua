-- table.foreach / table.foreachi: callbacks, early stop on a non-nil result, errors.
table.foreachi({"a", "b", "c"}, print)
print(table.foreachi({"a", "b", "c"}, function(i, v) if v == "b" then return i * 10, "ignored" end end))
print(table.foreachi({10, 20, nil, 40}, function(i, v) print("item", i, v) end))
print(table.foreach({x = 1}, function(k, v) print(k, v) end))
print(table.foreach({5, 6, 7}, function(k, v) if k == 2 then return false end end))
local sum = 0
table.foreach({1, 2, 3, 4}, function(k, v) sum = sum + v end)
print(sum)
local t = {1, 2, 3}
table.foreachi(t, function(i, v) t[i + 3] = v * 2 end)
print(#t, t[4], t[6])
print(pcall(table.foreach, {}, 1))
print(pcall(table.foreach, 1, print))
print(pcall(table.foreachi, nil, 1))
print(pcall(table.foreachi, {}, nil))
print(pcall(table.foreachi, {1}, function() error("in callback") end))
print(type(select(2, pcall(table.foreach, {1}, function() error({}) end))))
