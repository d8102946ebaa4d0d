-- anchors: ^ only at the start of a pattern, $ only at the end
print(("abc"):find("^abc$"), ("xabc"):find("^abc"), ("abcx"):find("abc$"))
print(("a^b"):find("a^b"), ("a$b"):find("a$b"))
print(("^a"):gsub("^", ">"))
print(("hello"):gsub("$", "!"))
print(("aaa"):gsub("^a", "b"))
for m in ("^a^a"):gmatch("^a") do print("gmatch", m) end
print(("abc"):match("^(a)"), ("abc"):match("(c)$"))
