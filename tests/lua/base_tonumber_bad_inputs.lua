-- tonumber returns nil for strings that are not numbers
print(tonumber("10"), tonumber(" 10 "), tonumber("0x1A"), tonumber("1e2"), tonumber("-7"))
print(tonumber("abc"), tonumber(""), tonumber(" "), tonumber("1e"), tonumber("0x"))
print(tonumber("10a"), tonumber("1 0"), tonumber("--1"), tonumber(".")
)
print(tonumber(nil), tonumber(true), tonumber({}), tonumber(42))
print(pcall(function() return tonumber() end))
