-- assert returns all its arguments on success
print(assert(1 == 1, "x"))
print(assert(1, 2, 3))
print(assert("v"))
print(pcall(assert, false))
print(pcall(assert, nil, "msg"))
print(pcall(assert, false, 42))
print(pcall(function() assert() end))
print(pcall(function() assert(false, {}) end))
