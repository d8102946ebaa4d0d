#!/usr/bin/env lua5.1 this first line is skipped
print("shebang line ignored")
print(1 + 1)
