#!/usr/bin/env python3
"""Protocol and argument fuzzer: the server must answer every input without dying.

Starts `ferrous` (default target/release/ferrous) on a free port and, for --seconds, opens connections
that send commands taken from the differential scripts (tests/redis/*.txt), with arguments swapped for
edge values (empty, NUL, huge and negative integers, nan/inf...) and the RESP bytes randomly damaged
(flipped, dropped or inserted bytes, digits spliced into lengths). After every connection it checks that
the process lives and stays under --max-rss-mb; at the end that it still answers PING. On failure it
writes the last connections' bytes to --dump (replay them with `nc` or a socket to reproduce) and
prints the server's log tail. Exit status 0 when the server survived.

Commands that would stop the fuzzing itself (SHUTDOWN, DEBUG, CONFIG, CLIENT PAUSE, SCRIPT DEBUG) are
left out. Edge values stay below sizes at which redis-server itself would exhaust memory (a negative
SRANDMEMBER count of 2^31, a SETRANGE offset of 2^31...), since that is Redis's documented behaviour.
"""

import argparse
import glob
import os
import random
import shlex
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP = {"SHUTDOWN", "DEBUG", "CONFIG", "MONITOR", "SYNC", "PSYNC", "REPLICAOF", "SLAVEOF", "FAILOVER"}
SKIP_PAIRS = {("CLIENT", "PAUSE"), ("SCRIPT", "DEBUG"), ("CLIENT", "KILL")}
EDGE = ["", "\x00", "-1", "0", "1", "-3", "100000", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "18446744073709551616", "nan", "inf", "-inf", "+inf", "1e400", "0x10", " 1",
        "(1", "[a", "-", "+", "*", "$", "\r\n", "\xff\xfe", "a" * 300]


def corpus():
    """Command lines of the differential scripts, as argument lists."""
    commands = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "redis", "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith("~ "):
                    line = line[2:]
                if not line or line.startswith(("#", "!")):
                    continue
                try:
                    args = shlex.split(line)
                except ValueError:
                    continue
                if not args or args[0].upper() in SKIP:
                    continue
                if len(args) > 1 and (args[0].upper(), args[1].upper()) in SKIP_PAIRS:
                    continue
                commands.append(args)
    return commands


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a.encode("latin-1", "replace") if isinstance(a, str) else a
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def damage(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        i = rng.randrange(len(data))
        op = rng.random()
        if op < 0.3:
            data[i] = rng.randrange(256)
        elif op < 0.5:
            del data[i]
        elif op < 0.75:
            data[i:i] = bytes([rng.choice(b"0123456789-*$\r\n+:\x00 \"'")])
        else:
            data[i:i] = rng.choice([b"-1", b"0", b"99", b"2147483648", b"9223372036854775808"])
    return bytes(data)


def request(rng, commands):
    args = list(rng.choice(commands))
    if rng.random() < 0.5:
        args = [rng.choice(EDGE) if i and rng.random() < 0.25 else a for i, a in enumerate(args)]
    if rng.random() < 0.1 and len(args) > 1:
        del args[rng.randrange(1, len(args))]
    data = encode(args)
    if rng.random() < 0.15:
        data = damage(rng, data)
    elif rng.random() < 0.05:
        data = " ".join(args).encode("latin-1", "replace") + b"\r\n"
    return data


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ferrous", default=os.path.join(ROOT, "target", "release", "ferrous"))
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--max-rss-mb", type=float, default=2048)
    p.add_argument("--dump", default=os.path.join(tempfile.gettempdir(), "ferrous-fuzz-failure.bin"))
    args = p.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    commands = corpus()
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="ferrous-fuzz-", suffix=".log", delete=False)
    server = subprocess.Popen([args.ferrous, "--port", str(port), "--save", "", "--appendonly", "no",
                               "--lua-time-limit", "100"], stdout=log, stderr=log)
    history = []
    sent = 0
    failure = None
    try:
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("ferrous did not start")
                time.sleep(0.05)
        end = time.time() + args.seconds
        while time.time() < end and failure is None:
            conn = socket.create_connection(("127.0.0.1", port))
            conn.settimeout(0.2)
            batch = []
            if rng.random() < 0.3:
                batch.append(encode(["HELLO", "3"]))
            batch += [request(rng, commands) for _ in range(rng.randint(1, 40))]
            history = (history + [b"".join(batch)])[-5:]
            try:
                for data in batch:
                    conn.sendall(data)
                    sent += 1
                while conn.recv(1 << 16):
                    pass
            except OSError:
                pass
            conn.close()
            if server.poll() is not None:
                failure = f"server exited with status {server.returncode}"
            elif rss_mb(server.pid) > args.max_rss_mb:
                failure = f"server RSS {rss_mb(server.pid):.0f} MB above {args.max_rss_mb:.0f} MB"
        if failure is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
                    c.sendall(b"PING\r\n")
                    if c.recv(100) != b"+PONG\r\n":
                        failure = "server did not answer PING"
            except OSError as e:
                failure = f"server did not answer PING: {e}"
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)
    print(f"fuzz: seed {seed}, {sent} requests in {args.seconds:.0f} s, {len(commands)} corpus commands")
    if failure:
        with open(args.dump, "wb") as f:
            f.write(b"\n=====\n".join(history))
        with open(log.name, errors="replace") as f:
            tail = f.read()[-3000:]
        print(f"fuzz: FAILED: {failure}; last connections' bytes in {args.dump}; server log tail:\n{tail}")
        sys.exit(1)
    os.unlink(log.name)
    print("fuzz: server survived")


if __name__ == "__main__":
    main()
