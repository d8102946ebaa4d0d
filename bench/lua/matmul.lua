-- core: 2-D array access with float arithmetic (matrix multiply).
local N = tonumber(arg and arg[1]) or 300

local function matgen(n, seed)
  local m = {}
  local tmp = seed / n / n
  for i = 1, n do
    local row = {}
    for j = 1, n do
      row[j] = tmp * (i - j) * (i + j - 2)
    end
    m[i] = row
  end
  return m
end

local function matmul(a, b, n)
  -- transpose b for row-major access
  local bt = {}
  for j = 1, n do
    local col = {}
    for k = 1, n do col[k] = b[k][j] end
    bt[j] = col
  end
  local c = {}
  for i = 1, n do
    local ai = a[i]
    local ci = {}
    for j = 1, n do
      local bj = bt[j]
      local s = 0.0
      for k = 1, n do s = s + ai[k] * bj[k] end
      ci[j] = s
    end
    c[i] = ci
  end
  return c
end

local a = matgen(N, 1.0)
local b = matgen(N, 2.0)
local c = matmul(a, b, N)
c = matmul(c, a, N)
local tr = 0.0
for i = 1, N do tr = tr + c[i][i] + c[i][N - i + 1] end
print("matmul", N, tr)
