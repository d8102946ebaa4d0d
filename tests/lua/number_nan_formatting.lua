-- NaN compares unequal to everything, including itself
local nan = 0/0
print(nan == nan, nan < nan, nan > nan, nan <= nan)
print(nan ~= 1, 1 < nan, 1 > nan)
local t = {}
print(pcall(function() t[nan] = 1 end))
print(rawget(t, nan))
