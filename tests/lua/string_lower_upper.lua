-- lower/upper change ASCII letters only, byte by byte
print(string.lower("Hello WORLD 123 _!"), string.upper("Hello world 123 _!"))
print(string.upper("\0a\0b"):byte(1, -1))
print(string.lower("\200\201ÀÉ") == "\200\201ÀÉ")
print(string.upper(12), string.lower(1e100))
print(("MiXeD"):lower(), ("MiXeD"):upper())
print(pcall(string.upper))
print(pcall(string.lower, {}))
print(pcall(function() return ("x").upper(nil) end))
