#!/bin/sh
# Re-records the expected listings (*.luac.txt) and syntax error messages (errors/*.err) from
# PUC-Rio's luac5.1. Run from anywhere; needs luac5.1 and lua5.1 on PATH. Memory addresses are
# renumbered in order of first appearance so that re-recording gives identical files.
set -e
cd "$(dirname "$0")"
renumber='{
    out = ""
    while (match($0, /0x[0-9a-f]+/)) {
        a = substr($0, RSTART, RLENGTH)
        if (!(a in id)) id[a] = ++n
        out = out substr($0, 1, RSTART - 1) sprintf("0x%08x", id[a])
        $0 = substr($0, RSTART + RLENGTH)
    }
    print out $0
}'
for f in *.lua; do
    luac5.1 -l -l -p "$f" | awk "$renumber" > "${f%.lua}.luac.txt"
done
for f in errors/*.lua; do
    lua5.1 -e "local f = assert(io.open('$f', 'rb')); local s = f:read('*a'); f:close(); local _, e = loadstring(s, '@' .. '${f#errors/}'); io.write(e)" > "${f%.lua}.err"
done
