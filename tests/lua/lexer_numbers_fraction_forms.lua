-- numbers written with a leading or trailing dot
print(.5, 5., 0.5, 5.0)
print(.5 + 5., 3 .. "")
print(1.25, 100.0, 007, 1.)
print(.5 == 0.5, 5. == 5)
