local function f()
  print("never")
f()
