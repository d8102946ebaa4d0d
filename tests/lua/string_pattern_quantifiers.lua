-- quantifiers: * + - ? are greedy, lazy and optional as in 5.1
print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-"), ("aaab"):match("a-b"))
print(("<a><b>"):match("<(.*)>"), ("<a><b>"):match("<(.-)>"))
print(("color colour"):gsub("colou?r", "C"))
print(("abc"):match("x*"), ("abc"):match("^x?a"))
print(("aaa"):find("a-$"), ("aaa"):find("a*$"))
print(("123abc"):match("^%d+"), ("abc"):match("^%d*"))
print(("x = 1, y = 22"):gsub("%s*=%s*", "="))
print(("a+b"):match("a%+b"), ("aab"):match("a?a?b"))
