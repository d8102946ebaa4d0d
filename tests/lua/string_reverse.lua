-- string.reverse
print(string.reverse("hello"), string.reverse(""), string.reverse("a"))
print(string.reverse(123), string.reverse("a\0b"):byte(1, -1))
print(("stressed"):reverse())
print(pcall(string.reverse))
print(pcall(string.reverse, false))
