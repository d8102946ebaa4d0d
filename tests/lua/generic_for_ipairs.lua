-- ipairs iterates 1..n and stops at the first nil
local t = {"a", "b", "c", nil, "e"}
for i, v in ipairs(t) do print(i, v) end
local u = {[1] = "x", [2] = "y", [4] = "w", k = "v"}
for i, v in ipairs(u) do print(i, v) end
for i, v in ipairs({}) do print("never") end
