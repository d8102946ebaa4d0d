-- a long string may contain any text, including quotes and escapes, verbatim
local s = [[a "quoted" 'text' with \n no escapes]]
print(s)
print(#s)
local t = [=[
--[[ not a comment ]]
]=]
print(t)
