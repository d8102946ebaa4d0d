-- an uncaught error whose value is a number is converted to a string
error(42)
