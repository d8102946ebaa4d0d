#!/usr/bin/lua
print("shebang")
local x = 1
