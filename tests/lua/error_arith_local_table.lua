-- arithmetic on a local table
print(pcall(function() local s = {} return s * 2 end))
print(pcall(function() local s = {} return 2 ^ s end))
print(pcall(function() local a, s = 1, {} return a % s end))
