function f()
  if x then
    return
  end
