local a = "simple"
local b = 'single'
local c = "esc \a\b\f\n\r\t\v\\\"\' end"
local d = "dec \0 \1 \12 \123 \255 \0001"
local e = [[long
string]]
local f = [==[
with ]] inside ]=] too
]==]
local g = "line\
continued"
local h = "\65\066\0677"
local i = "unknown \q escape"
local j = [[]]
local k = ""
local l = "utf8 é ü"
local m = '\''
local n = "tab	inside"
