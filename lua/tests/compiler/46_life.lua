-- Conway's game of life on a small torus, written with globals on purpose.
W, H = 16, 8
function make_grid()
  local g = {}
  for y = 1, H do
    g[y] = {}
    for x = 1, W do g[y][x] = 0 end
  end
  return g
end
function neighbours(g, x, y)
  local n = 0
  for dy = -1, 1 do
    for dx = -1, 1 do
      if not (dx == 0 and dy == 0) then
        local yy = (y + dy - 1) % H + 1
        local xx = (x + dx - 1) % W + 1
        n = n + g[yy][xx]
      end
    end
  end
  return n
end
function step(g)
  local new = make_grid()
  for y = 1, H do
    for x = 1, W do
      local n = neighbours(g, x, y)
      if n == 3 or (n == 2 and g[y][x] == 1) then new[y][x] = 1 end
    end
  end
  return new
end
grid = make_grid()
grid[2][3], grid[3][4], grid[4][2], grid[4][3], grid[4][4] = 1, 1, 1, 1, 1
for i = 1, 4 do grid = step(grid) end
for y = 1, H do
  local row = {}
  for x = 1, W do row[x] = grid[y][x] == 1 and "#" or "." end
  print(table.concat(row))
end
