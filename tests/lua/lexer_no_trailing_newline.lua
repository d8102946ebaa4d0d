-- the last line has no newline and ends in a comment
print("no trailing newline") -- comment at end of file