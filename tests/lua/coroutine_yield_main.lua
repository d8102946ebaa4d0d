-- yield from the main thread
print(pcall(coroutine.yield, 1))
coroutine.yield()
