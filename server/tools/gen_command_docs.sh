#!/usr/bin/env bash
# Regenerates server/src/cmd/redis_commands.resp: the raw RESP3 replies of `COMMAND INFO` and
# `COMMAND DOCS` from the installed redis-server (7.0.x), which ferrous embeds and re-emits for its
# own COMMAND INFO/DOCS/GETKEYS (see server/src/cmd/docs.rs). Run once per Redis version:
#   server/tools/gen_command_docs.sh [path/to/redis-server]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/cmd/redis_commands.resp"
redis_server="${1:-redis-server}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

"$redis_server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    redis-cli -p "$port" PING >/dev/null 2>&1 && break
    sleep 0.1
done
"$redis_server" --version | grep -q 'v=7\.0\.' || echo "warning: not Redis 7.0: $("$redis_server" --version)" >&2

# Replies off while switching to RESP3, so the capture is: +OK (CLIENT REPLY ON), the COMMAND INFO
# array, the COMMAND DOCS map, +OK (QUIT); the server closes the connection after QUIT.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'CLIENT REPLY OFF\r\nHELLO 3\r\nCLIENT REPLY ON\r\nCOMMAND INFO\r\nCOMMAND DOCS\r\nQUIT\r\n' >&3
cat <&3 >"$out.tmp"
exec 3<&-
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -c <"$out") bytes, $(redis-cli -p "$port" COMMAND COUNT) commands)"
