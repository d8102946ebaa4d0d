-- long comments of different levels, and short comments that look long
print(1) --[[ a long
comment ]] print(2)
--[==[ level two
]] still comment ]=] still comment
]==] print(3)
--[ this is a short comment because of the space
print(4)
--[=x not a long comment either
print(5)
--[[]] print(6)
---[[ a short comment: the code below runs
print(7)
--]]
print(8) -- trailing comment
