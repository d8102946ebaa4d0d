-- core: table allocation / GC (binary-trees from the benchmarks game).
local N = tonumber(arg and arg[1]) or 14

local function bottom_up(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { bottom_up(depth), bottom_up(depth) }
end

local function check(tree)
  if tree[1] then
    return 1 + check(tree[1]) + check(tree[2])
  end
  return 1
end

local mindepth = 4
local maxdepth = mindepth + 2
if maxdepth < N then maxdepth = N end

local total = 0
for rep = 1, 2 do
  local stretch = bottom_up(maxdepth + 1)
  total = total + check(stretch)
  stretch = nil

  local longlived = bottom_up(maxdepth)
  for depth = mindepth, maxdepth, 2 do
    local iters = 2 ^ (maxdepth - depth + mindepth)
    local c = 0
    for i = 1, iters do
      c = c + check(bottom_up(depth))
    end
    total = total + c
end
total = total + check(longlived)
end
print("binary_trees", N, total)
