local x
x foo