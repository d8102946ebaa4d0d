-- error() with a string message, uncaught
print("about to fail")
error("something went wrong")
