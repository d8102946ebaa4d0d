-- for bounds and step must be numbers (strings are coerced)
print(pcall(function() for i = "a", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, nil do end end))
for i = "1", "2" do print(i, type(i)) end
