-- numeric for with default, positive and negative steps
for i = 1, 3 do print(i) end
for i = 3, 1, -1 do print("down", i) end
for i = 1, 0 do print("never") end
for i = 10, 1, -3 do print("step", i) end
for i = 5, 5 do print("once", i) end
