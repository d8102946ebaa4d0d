-- an uncaught error whose value is a boolean
print("before")
error(true)
