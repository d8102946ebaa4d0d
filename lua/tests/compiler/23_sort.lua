-- Quicksort and insertion sort over arrays.
local function insertion(a, lo, hi)
  for i = lo + 1, hi do
    local v = a[i]
    local j = i - 1
    while j >= lo and a[j] > v do
      a[j + 1] = a[j]
      j = j - 1
    end
    a[j + 1] = v
  end
end

local function partition(a, lo, hi)
  local pivot = a[math.floor((lo + hi) / 2)]
  local i, j = lo, hi
  while i <= j do
    while a[i] < pivot do i = i + 1 end
    while a[j] > pivot do j = j - 1 end
    if i <= j then
      a[i], a[j] = a[j], a[i]
      i, j = i + 1, j - 1
    end
  end
  return i, j
end

local function quicksort(a, lo, hi)
  lo = lo or 1
  hi = hi or #a
  if hi - lo < 8 then return insertion(a, lo, hi) end
  local i, j = partition(a, lo, hi)
  if lo < j then quicksort(a, lo, j) end
  if i < hi then quicksort(a, i, hi) end
end

local t = {}
for i = 1, 100 do t[i] = (i * 7919) % 101 end
quicksort(t)
for i = 2, #t do assert(t[i - 1] <= t[i], "not sorted") end
print("sorted", #t)
