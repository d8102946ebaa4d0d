local x = ((((((((((1 + 2) * 3) - 4) / 5) % 6) ^ 7) .. 8) .. 9) == 10) and 11) or 12
local y = { { { { { { { { 1 } } } } } } } }
local z = f(g(h(i(j(k(l(m(1))))))))
if a then if b then if c then if d then if e then print(1) end end end end end
local function l1() return function() return function() return function() return 1 end end end end
