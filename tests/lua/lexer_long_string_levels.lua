-- long strings of several levels; inner brackets of other levels are plain text
local a = [[level zero]]
local b = [=[level one with ]] inside]=]
local c = [==[level two with ]=] and ]] inside]==]
local d = [====[level four [[ [=[ ]=] ]===] ]====]
print(a)
print(b)
print(c)
print(d)
print(#a, #b, #c, #d)
print([[]] == "", [==[]==] == "")
