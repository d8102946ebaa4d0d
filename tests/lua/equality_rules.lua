-- == never converts types; tables and functions compare by identity
print(1 == "1", "1" == 1, 0 == false, nil == false)
local t1, t2 = {}, {}
print(t1 == t2, t1 == t1, t1 ~= t2)
local f = function() end
print(f == f, function() end == function() end)
print("abc" == "a" .. "bc", 2 == 2.0, 1/0 == 2/0)
print(nil == nil, true == true, true ~= false)
