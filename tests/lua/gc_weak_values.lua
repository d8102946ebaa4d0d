-- weak values: collected objects disappear, strings and numbers and live objects stay
local keep = {}
local wv = setmetatable({}, {__mode = "v"})
wv[1] = {}; wv[2] = "str"; wv[3] = keep; wv[4] = 42; wv.x = {}; wv.f = function() end
collectgarbage()
print(wv[1], wv[2], wv[3] == keep, wv[4], wv.x, wv.f)
local kv = setmetatable({}, {__mode = "kv"})
kv[keep] = {}
kv[{}] = keep
kv[1] = keep
collectgarbage()
local n = 0
for k, v in pairs(kv) do n = n + 1 end
print("kv entries", n, kv[1] == keep)
