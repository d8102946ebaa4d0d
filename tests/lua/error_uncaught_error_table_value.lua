-- an uncaught error whose value is a table
error({code = 1})
