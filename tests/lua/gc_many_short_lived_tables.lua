-- two million short-lived tables: the collector must keep memory bounded
local last, sum = nil, 0
for i = 1, 2000000 do
  last = {i, i + 1}
  sum = sum + last[2] - last[1]
end
print(sum, last[1])
