-- core: tight float loops with no output (mandelbrot set, point count).
local N = tonumber(arg and arg[1]) or 1100
local ITER = 50

local count, iters = 0, 0
for y = 0, N - 1 do
  local ci = 2.0 * y / N - 1.0
  for x = 0, N - 1 do
    local cr = 2.0 * x / N - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local escaped = false
    for i = 1, ITER do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      iters = iters + 1
      if zr2 + zi2 > 4.0 then escaped = true; break end
    end
    if not escaped then count = count + 1 end
  end
end
print("mandelbrot", N, count, iters)
