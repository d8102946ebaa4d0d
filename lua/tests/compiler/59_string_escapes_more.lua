local s = "\z"
local t = "a\
b\
c"
local u = "\97\98\99\100"
local v = "\1\2\3\4\5\6\7\8\9\10\11\12\13\14\15\16\17\18\19\20\21\22\23\24\25\26\27\28\29\30\31\127\128\200\255"
local w = '"double" in single'
local x = "'single' in double"
local y = "\\n is not a newline"
local z = "\"\'\\"
