local t = { 10, 20, 30 }
for i, v in ipairs(t) do t[i] = v + 1 end
for k, v in pairs(t) do local f = function() return k, v end end
for a, b, c in f, s, ctl do print(a, b, c) end
for x in function() end do end
for _, v in ipairs({ { 1 }, { 2 } }) do for _, w in ipairs(v) do print(w) end end
local gen, state, init = pairs(t)
for k in gen, state, init do print(k) end
for k, v in next, t, nil do break end
