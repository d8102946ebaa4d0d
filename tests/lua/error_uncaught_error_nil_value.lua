-- an uncaught error whose value is nil
error()
