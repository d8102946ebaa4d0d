-- methods called on something that is not a file
print(pcall(function() io.stdout.write({}, "x") end))
print(pcall(function() io.stdout.read() end))
print(pcall(function() local t = {read = io.stdout.read} t:read() end))
print(pcall(function() local t = {seek = io.stdout.seek} t:seek("set") end))
print(pcall(function() io.stdin.lines(5) end))
print(pcall(function() io.stdout.flush("f") end))
print(pcall(function() io.stdout.setvbuf(nil, "no") end))
