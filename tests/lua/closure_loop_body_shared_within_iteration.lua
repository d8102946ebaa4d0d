-- two closures made in the same iteration share that iteration's local
local pairs_ = {}
for i = 1, 2 do
  local v = i * 10
  pairs_[i] = {get = function() return v end, set = function(x) v = x end}
end
pairs_[1].set(99)
print(pairs_[1].get(), pairs_[2].get())
local acc = {}
repeat
  local x = #acc
  acc[#acc + 1] = function() x = x + 1 return x end
until #acc == 2
print(acc[1](), acc[1](), acc[2]())
