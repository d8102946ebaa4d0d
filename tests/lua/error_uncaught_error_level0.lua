-- error(msg, 0) adds no position information
error("plain message", 0)
