-- nil values in constructors leave holes; keys are never nil
local t = {nil, 2, nil, 4}
print(t[1], t[2], t[3], t[4])
local n = 0
for k, v in pairs(t) do n = n + 1 end
print(n)
print(pcall(function() return {[nil] = 1} end))
