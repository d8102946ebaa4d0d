#!/usr/bin/env python3
"""Randomized differential test of the value types: ferrous against redis-server.

Starts both servers on free ports and sends each the same random stream of string, bit, list, hash,
set and sorted-set commands over a handful of keys — members that are small and large integers (intset widths),
short and long strings (listpack/hashtable/skiplist conversions), scores with -0, inf and fractions,
now and then a CONFIG SET of an encoding threshold, and now and then a few of them inside MULTI/EXEC —
comparing every reply byte for byte. Replies
whose order Redis leaves to its randomly seeded hash tables (HGETALL, SMEMBERS, SUNION...) are compared
as multisets. Lexicographic ranges are left out: with mixed scores their result depends on the
skiplist's random levels in Redis. Prints the first differences; exit status 0 when every reply matched.

    server/tools/random_diff.py --seed 1 --commands 20000 [--resp3]
"""

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UNORDERED = {"HGETALL", "HKEYS", "HVALS", "SMEMBERS", "SINTER", "SUNION", "SDIFF"}
UNORDERED_KINDS = (b"*", b"~", b"%")
THRESHOLDS = ["list-max-listpack-size", "set-max-intset-entries", "zset-max-listpack-entries",
              "zset-max-listpack-value", "hash-max-listpack-entries", "hash-max-listpack-value"]


def encode(args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


def read_reply(f):
    line = f.readline()
    kind = line[:1]
    if kind in (b"+", b"-", b":", b",", b"_", b"#", b"("):
        return line
    if kind in (b"$", b"=", b"!"):
        n = int(line[1:-2])
        return line if n < 0 else line + f.read(n + 2)
    if kind in (b"*", b"~", b">", b"%", b"|"):
        out = line
        items = max(int(line[1:-2]), 0) * (2 if kind in (b"%", b"|") else 1)
        for _ in range(items):
            out += read_reply(f)
        return out
    raise ValueError(f"unexpected reply line {line!r}")


class Generator:
    """Random commands over a few keys of each type."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def member(self):
        r = self.rng.random()
        if r < 0.3:
            return str(self.rng.randint(-5, 30) if r < 0.2 else self.rng.randint(-40000, 40000))
        if r < 0.4:
            return str(self.rng.choice([2**15 - 1, -2**15, 2**15, 2**31 - 1, -2**31, 2**31, 2**63 - 1, -2**63]))
        if r < 0.8:
            return self.rng.choice(["a", "b", "c", "m", "", "x" * 20, "y" * 70]) + str(self.rng.randint(0, 9))
        return "z" * self.rng.randint(0, 200)

    def score(self):
        return self.rng.choice(["0", "1", "-1", "1.5", "-0", "inf", "-inf", str(self.rng.randint(-100, 100)),
                                repr(self.rng.random() * 10)])

    def some(self, make, lo, hi):
        return [x for _ in range(self.rng.randint(lo, hi)) for x in make()]

    def command(self):
        rng, m = self.rng, self.member
        if rng.random() < 0.01:
            return ["CONFIG", "SET", rng.choice(THRESHOLDS), str(rng.choice([-2, -1, 1, 2, 4, 16, 64, 128, 512]))]
        kind = rng.choice("slhzk")
        k, k2 = f"{kind}{rng.randint(1, 3)}", f"{kind}{rng.randint(1, 3)}"
        if kind == "s":
            choices = [["SADD", k, *self.some(lambda: [m()], 1, 10)], ["SREM", k, m(), m()], ["SMEMBERS", k],
                       ["SISMEMBER", k, m()], ["SCARD", k], ["SINTER", k, k2], ["SUNION", k, k2], ["SDIFF", k, k2],
                       ["SINTERSTORE", "s3", k, k2], ["SUNIONSTORE", "s2", k, k2], ["SDIFFSTORE", "s1", k, k2],
                       ["SMOVE", k, k2, m()], ["SMISMEMBER", k, m(), m()], ["SORT", k, "ALPHA"],
                       ["SINTERCARD", "2", k, k2], ["OBJECT", "ENCODING", k]]
        elif kind == "z":
            choices = [["ZADD", k, *self.some(lambda: [self.score(), m()], 1, 8)], ["ZREM", k, m()],
                       ["ZRANGE", k, "0", "-1", "WITHSCORES"], ["ZREVRANGE", k, "0", "5", "WITHSCORES"],
                       ["ZRANGEBYSCORE", k, "-inf", "+inf", "WITHSCORES", "LIMIT", "1", "3"],
                       ["ZREVRANGEBYSCORE", k, "(10", "-1"], ["ZRANK", k, m()], ["ZREVRANK", k, m()],
                       ["ZSCORE", k, m()], ["ZMSCORE", k, m(), m()], ["ZINCRBY", k, self.score(), m()],
                       ["ZCARD", k], ["ZCOUNT", k, "(0", "10"], ["ZREMRANGEBYRANK", k, "0", "1"],
                       ["ZREMRANGEBYSCORE", k, "1", "(2"], ["ZUNIONSTORE", "z2", "2", k, "z2"],
                       ["ZINTER", "2", k, k2, "WITHSCORES"], ["ZDIFF", "2", k, k2], ["ZPOPMIN", k],
                       ["ZPOPMAX", k, "2"], ["OBJECT", "ENCODING", k]]
        elif kind == "k":
            numbers = ["0", "-0", "1e3", "0.1", "3.0e-2", "inf", "9223372036854775807", "-9223372036854775808",
                       "1.5", " 1", "abc", "10.", ".5"]
            num = lambda: rng.choice([str(rng.randint(-1000, 1000)), *numbers])  # noqa: E731
            off = lambda: str(rng.choice([0, 1, 3, 7, 8, 15, 31, 100, -1]))  # noqa: E731
            choices = [["SET", k, m()], ["GET", k], ["APPEND", k, m()], ["STRLEN", k], ["SETRANGE", k, off(), m()],
                       ["GETRANGE", k, n(), n()] if (n := lambda: str(rng.randint(-10, 10))) else [],
                       ["INCRBY", k, num()], ["DECRBY", k, num()], ["INCRBYFLOAT", k, num()], ["INCR", k],
                       ["SETBIT", k, off(), str(rng.randint(0, 1))], ["GETBIT", k, off()], ["BITCOUNT", k],
                       ["BITCOUNT", k, n(), n(), rng.choice(["BYTE", "BIT"])], ["BITPOS", k, str(rng.randint(0, 1))],
                       ["BITPOS", k, "1", n(), n(), "BIT"], ["BITOP", rng.choice(["AND", "OR", "XOR"]), "k3", k, k2],
                       ["BITFIELD", k, "INCRBY", rng.choice(["i5", "u4", "i16", "u63"]), off(), num(),
                        "GET", "u8", "0"], ["GETDEL", k], ["LCS", k, k2], ["GETSET", k, m()], ["SETNX", k, m()],
                       ["MSETNX", k, m(), k2, m()], ["OBJECT", "ENCODING", k]]
        elif kind == "h":
            choices = [["HSET", k, *self.some(lambda: [m(), m()], 1, 6)], ["HDEL", k, m()], ["HGETALL", k],
                       ["HGET", k, m()], ["HLEN", k], ["HKEYS", k], ["HVALS", k], ["HINCRBY", k, m(), "3"],
                       ["HSTRLEN", k, m()], ["HMGET", k, m(), m()], ["HSETNX", k, m(), m()], ["HEXISTS", k, m()],
                       ["OBJECT", "ENCODING", k]]
        else:
            n = lambda: str(rng.randint(-8, 8))  # noqa: E731
            choices = [["RPUSH", k, *self.some(lambda: [m()], 1, 20)], ["LPUSH", k, *self.some(lambda: [m()], 1, 20)],
                       ["LPOP", k, "2"], ["RPOP", k], ["LRANGE", k, "0", "-1"], ["LRANGE", k, n(), n()],
                       ["LINDEX", k, n()], ["LSET", k, n(), m()], ["LREM", k, str(rng.randint(-2, 2)), m()],
                       ["LTRIM", k, n(), str(rng.randint(-5, 50))], ["LINSERT", k, "BEFORE", m(), m()],
                       ["LPOS", k, m()], ["LMOVE", k, k2, "LEFT", "RIGHT"], ["LLEN", k], ["OBJECT", "ENCODING", k]]
        if rng.random() < 0.1:
            any_key = lambda: rng.choice("slhzk") + str(rng.randint(1, 3))  # noqa: E731
            choices = [["TYPE", any_key()], ["EXISTS", any_key(), any_key()], ["DEL", any_key()],
                       ["RENAME", any_key(), any_key()], ["RENAMENX", any_key(), any_key()],
                       ["COPY", any_key(), any_key(), *(["REPLACE"] if rng.random() < 0.5 else [])],
                       ["SORT", any_key(), "ALPHA", "LIMIT", "0", "5", "DESC"], ["SORT", any_key()],
                       ["LMPOP", "2", any_key(), any_key(), rng.choice(["LEFT", "RIGHT"]), "COUNT", "2"],
                       ["ZMPOP", "2", any_key(), any_key(), rng.choice(["MIN", "MAX"]), "COUNT", "3"],
                       ["ZADD", k, rng.choice(["NX", "XX", "GT", "LT"]), "CH", self.score(), m()],
                       ["ZADD", k, "INCR", self.score(), m()],
                       ["ZRANGE", k, "(1", "+inf", "BYSCORE", "LIMIT", "0", "3", "WITHSCORES"],
                       ["ZRANGE", k, "+inf", "-inf", "BYSCORE", "REV"], ["ZRANGESTORE", "z3", k, "0", "-2"],
                       ["ZUNION", "2", k, k2, "WEIGHTS", "2", "-1", "AGGREGATE", rng.choice(["SUM", "MIN", "MAX"]),
                        "WITHSCORES"], ["ZINTERCARD", "2", k, k2, "LIMIT", "1"],
                       ["LPOS", k, m(), "RANK", str(rng.choice([1, -1, 2])), "COUNT", "0", "MAXLEN", "10"],
                       ["SINTERCARD", "2", k, k2, "LIMIT", "2"], ["HINCRBYFLOAT", k, m(), self.score()]]
        return rng.choice(choices)


class Server:
    def __init__(self, argv):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.dir = tempfile.mkdtemp(prefix="ferrous-rdiff-")
        self.proc = subprocess.Popen([*argv, "--port", str(self.port), "--save", "", "--appendonly", "no",
                                      "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit(f"{argv[0]} did not start")
                time.sleep(0.05)
        self.file = self.sock.makefile("rb")

    def ask(self, args):
        self.sock.sendall(encode(args))
        return read_reply(self.file)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def comparable(args, reply):
    """The reply as compared: replies in hash-table order (also an EXEC holding one, then marked by a
    second word in `args`) become sorted lists of lines."""
    unordered = args[0] in UNORDERED or (args[0] == "EXEC" and len(args) > 1)
    if unordered and reply.startswith(UNORDERED_KINDS):
        return sorted(reply.split(b"\r\n"))
    return reply


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ferrous", default=os.path.join(ROOT, "target", "release", "ferrous"))
    p.add_argument("--redis", default="redis-server")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--commands", type=int, default=20000)
    p.add_argument("--resp3", action="store_true", help="switch both connections to RESP3 first (HELLO 3)")
    args = p.parse_args()
    servers = [Server([args.redis]), Server([args.ferrous])]
    if args.resp3:
        for s in servers:
            s.ask(["HELLO", "3"])
    gen = Generator(args.seed)
    differences = 0
    history = []
    try:
        queued, transaction = 0, []
        for _ in range(args.commands):
            cmd = gen.command()
            if queued == 0 and gen.rng.random() < 0.01:
                cmd, queued, transaction = ["MULTI"], gen.rng.randint(1, 8), []
            elif queued == 1:
                cmd, queued = ["EXEC"], 0
            elif queued > 1:
                queued -= 1
                transaction.append(cmd)
            history = (history + [cmd])[-200:]
            replies = [s.ask(cmd) for s in servers]
            if cmd == ["EXEC"] and any(c[0] in UNORDERED for c in transaction):
                cmd = ["EXEC", "(holding an unordered reply)"]
            if comparable(cmd, replies[0]) == comparable(cmd, replies[1]):
                continue
            differences += 1
            if differences <= 3:
                print(f"DIFFERENT: {' '.join(cmd)[:200]}\n  redis:   {replies[0][:300]!r}\n"
                      f"  ferrous: {replies[1][:300]!r}")
                key = cmd[-1] if cmd[0] == "OBJECT" else cmd[1] if len(cmd) > 1 else None
                touching = [h for h in history[:-1] if key in h[1:]][-4:]
                print("  after: " + " | ".join(" ".join(h)[:80] for h in touching))
    finally:
        for s in servers:
            s.stop()
    print(f"random_diff: seed {args.seed}, {args.commands} commands, {differences} different replies")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
