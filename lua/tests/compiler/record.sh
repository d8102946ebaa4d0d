#!/bin/sh
# Re-records the expected listings (*.luac.txt) and syntax error messages (errors/*.err) from
# PUC-Rio's luac5.1. Run from anywhere; needs luac5.1 and lua5.1 on PATH.
set -e
cd "$(dirname "$0")"
for f in *.lua; do
    luac5.1 -l -l -p "$f" > "${f%.lua}.luac.txt"
done
for f in errors/*.lua; do
    lua5.1 -e "local f = assert(io.open('$f', 'rb')); local s = f:read('*a'); f:close(); local _, e = loadstring(s, '@' .. '${f#errors/}'); io.write(e)" > "${f%.lua}.err"
done
