-- # of strings is the byte length; of tables the array border
print(#"", #"abc", #"a\0b", #"\n\n")
print(#{}, #{1, 2, 3}, #{nil}, #{n = 1})
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
t[#t] = nil
print(#t)
t[#t + 1] = "new"
print(#t, t[100])
print(pcall(function() return #nil end))
print(pcall(function() return #5 end))
