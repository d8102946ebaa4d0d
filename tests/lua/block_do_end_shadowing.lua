-- nested do-end blocks create new scopes; shadowed locals are restored
local a = 1
do
  local a = 2
  do
    local a = 3
    print(a)
  end
  print(a)
end
print(a)
local b = 1
local b = b + 1
print(b)
local c = 5
do local c = c * 2 print(c) end
print(c)
