#!/usr/bin/env bash
# Instructions per request of one server for one redis-benchmark test, counted by callgrind (user
# space only; immune to other load on the machine). See README.md.
#   bench/redis/callgrind.sh redis|ferrous|PATH TEST [REQUESTS] [PIPELINE]
# The count covers every request the test sends: ping sends REQUESTS twice (inline and multibulk),
# lrange_100 also sends REQUESTS LPUSHes first; divide accordingly.
set -euo pipefail
server=$1 test=$2 requests=${3:-10000} pipeline=${4:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $server in
    redis) bin=redis-server ;;
    ferrous) bin=$root/target/release/ferrous ;;
    *) bin=$server ;;
esac
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
out=$(mktemp /tmp/callgrind.XXXXXX)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
    "$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 150); do
    redis-cli -p "$port" PING >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "server did not start" >&2; exit 1; }
    sleep 0.2
done
callgrind_control -i on "$pid" >/dev/null 2>&1
timeout 600 redis-benchmark -p "$port" -t "$test" -n "$requests" -c 50 -P "$pipeline" -q >/dev/null
callgrind_control -i off "$pid" >/dev/null 2>&1
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
total=$(awk '/^totals:/ {print $2; exit}' "$out")
echo "$server $test -P $pipeline: $((total / requests)) instructions per request ($total for $requests)"
