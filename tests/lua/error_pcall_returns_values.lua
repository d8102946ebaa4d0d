-- pcall returns true plus all results on success
print(pcall(function() return 1, 2, 3 end))
print(pcall(function() end))
print(select('#', pcall(function() return nil, nil end)))
print(pcall(print, "printed inside pcall"))
print(pcall(tostring, 12))
