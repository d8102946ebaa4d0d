#!/usr/bin/env python3
"""Compare ferrous with redis-server: throughput with redis-benchmark and memory after a bulk load.

Both servers run with the same settings (no persistence), each pinned with taskset to the same core;
redis-benchmark (and the loader) run pinned to another core. Servers are benchmarked alternately, test
by test, and the median of the rounds is reported. See bench/redis/README.md.
"""
import argparse
import hashlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTS = ["ping", "set", "get", "incr", "lpush", "rpop", "sadd", "hset", "zadd", "lrange_100", "mset"]
# redis-benchmark's CSV row names for each -t test.
ROWS = {
    "ping": ["PING_INLINE", "PING_MBULK"],
    "set": ["SET"],
    "get": ["GET"],
    "incr": ["INCR"],
    "lpush": ["LPUSH"],
    "rpop": ["RPOP"],
    "sadd": ["SADD"],
    "hset": ["HSET"],
    "zadd": ["ZADD"],
    "lrange_100": ["LRANGE_100 (first 100 elements)"],
    "mset": ["MSET (10 keys)"],
}
# Script tests: name -> (command, script body, keys, args). EVALSHA tests SCRIPT LOAD the body on both
# servers before each run; redis-benchmark sends the command as given, so every request hits one key.
SCRIPT_TESTS = {
    "eval_incr": ("EVAL", "return redis.call('INCR', KEYS[1])", ["counter"], []),
    "evalsha_incr": ("EVALSHA", "return redis.call('INCR', KEYS[1])", ["counter"], []),
    "evalsha_hset10": (
        "EVALSHA",
        "for i = 1, 10 do redis.call('HSET', KEYS[1], 'field' .. i, ARGV[1]) end\n"
        "return redis.call('HGETALL', KEYS[1])",
        ["hash"],
        ["value"],
    ),
    "evalsha_mixed": (
        "EVALSHA",
        "redis.call('SET', KEYS[1], ARGV[1])\n"
        "local v = redis.call('GET', KEYS[1])\n"
        "redis.call('EXPIRE', KEYS[1], 100)\n"
        "redis.call('LPUSH', KEYS[2], v)\n"
        "redis.call('LTRIM', KEYS[2], 0, 9)\n"
        "return {v, redis.call('TTL', KEYS[1]), redis.call('LLEN', KEYS[2])}",
        ["str", "list"],
        ["value"],
    ),
}
SCRIPT_BENCH = ["evalsha_incr", "evalsha_hset10", "evalsha_mixed", "eval_incr"]
for _name in SCRIPT_TESTS:
    ROWS[_name] = [_name]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pinned(core, argv):
    return ["taskset", "-c", str(core)] + argv


class Server:
    """A server process on a free port, pinned to `core`."""

    def __init__(self, name, binary, core, wrapper=(), extra=()):
        self.name = name
        self.port = free_port()
        argv = [*wrapper, binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                "no", *extra]
        self.proc = subprocess.Popen(pinned(core, argv), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + (60 if wrapper else 10)
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"{name} did not start")

    def cli(self, *args):
        out = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return out.stdout.strip()

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_ns(self):
        """CPU time the server process has used (all threads, user + kernel), from schedstat."""
        total = 0
        for task in os.listdir(f"/proc/{self.proc.pid}/task"):
            try:
                with open(f"/proc/{self.proc.pid}/task/{task}/schedstat") as f:
                    total += int(f.read().split()[0])
            except OSError:
                pass
        return total

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def script_command(server, test):
    """The command line of script test `test` (loading the script into `server` for EVALSHA)."""
    command, body, keys, args = SCRIPT_TESTS[test]
    if command == "EVALSHA":
        sha = server.cli("SCRIPT", "LOAD", body)
        if sha != hashlib.sha1(body.encode()).hexdigest():
            raise SystemExit(f"{server.name}: SCRIPT LOAD answered {sha!r}")
        body = sha
    return [command, body, str(len(keys)), *keys, *args]


def bench(server, test, pipeline, requests, clients, core):
    argv = ["redis-benchmark", "-p", str(server.port), "-n", str(requests), "-c", str(clients),
            "-P", str(pipeline), "--csv"]
    if test in SCRIPT_TESTS:
        argv += script_command(server, test)
    else:
        argv += ["-t", test]
    out = subprocess.run(pinned(core, argv), capture_output=True, text=True).stdout
    rps = {}
    for line in out.splitlines():
        cells = [c.strip('"') for c in line.split('","')]
        if len(cells) >= 2 and cells[0] != "test":
            try:
                rps[test if test in SCRIPT_TESTS else cells[0].lstrip('"')] = float(cells[1])
            except ValueError:
                pass
    return rps


def throughput(servers, args):
    print(f"Throughput (requests/s, median of {args.rounds}; -c {args.clients}; load average "
          f"{os.getloadavg()[0]:.1f}) and server CPU time per request (user + kernel, µs, median):")
    print(f"{'test':<34}{'redis':>12}{'ferrous':>12}{'ratio':>8}{'cpu redis':>11}{'ferrous':>9}{'ratio':>8}")
    ratios = []
    for pipeline in args.pipelines:
        requests = args.requests * (10 if pipeline > 1 else 1)
        for test in args.tests:
            results = {s.name: {} for s in servers}
            cpu = {s.name: [] for s in servers}
            for _ in range(args.rounds):
                for s in servers:
                    s.cli("FLUSHALL")
                    before = s.cpu_ns()
                    rows = bench(s, test, pipeline, requests, args.clients, args.client_core)
                    # Requests of every row (ping has two; lrange_100 includes the LPUSHes filling its list).
                    served = requests * max(len(rows), 1)
                    cpu[s.name].append((s.cpu_ns() - before) / 1000 / served)
                    for row, v in rows.items():
                        results[s.name].setdefault(row, []).append(v)
            for row in ROWS[test]:
                r = results["redis"].get(row)
                f = results["ferrous"].get(row)
                if not r or not f:
                    print(f"{row + ' -P ' + str(pipeline):<34}{'?':>12}{'?':>12}")
                    continue
                r, f = statistics.median(r), statistics.median(f)
                rc, fc = statistics.median(cpu["redis"]), statistics.median(cpu["ferrous"])
                ratios.append(f / r)
                print(f"{row[:26] + ' -P ' + str(pipeline):<34}{r:>12.0f}{f:>12.0f}{f / r:>7.2f}x"
                      f"{rc:>11.2f}{fc:>9.2f}{rc / fc:>7.2f}x", flush=True)
    if ratios:
        print(f"geometric mean ratio: {statistics.geometric_mean(ratios):.2f}x; min {min(ratios):.2f}x; "
              f"load average now {os.getloadavg()[0]:.1f}")


def instructions(args):
    """Instructions per request of each test on each server, counted by callgrind: the server runs under
    valgrind, its counters are zeroed after a warm-up run and dumped after `requests` requests from one
    client at -P 16 (so the event loop's per-read cost is shared as in pipelined use)."""
    print(f"Instructions per request (callgrind, -c 1 -P 16, {args.instr_requests} requests):")
    print(f"{'test':<22}{'redis':>12}{'ferrous':>12}{'ratio':>8}")
    counts = {}
    for name, binary in (("redis", args.redis), ("ferrous", args.ferrous)):
        out = tempfile.mkdtemp(prefix="ferrous-callgrind-")
        wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.%p"]
        server = Server(name, binary, args.server_core, wrapper)
        try:
            for test in args.tests:
                run = lambda n: bench(server, test, 16, n, 1, args.client_core)  # noqa: E731
                run(2000)
                subprocess.run(["callgrind_control", "-z", str(server.proc.pid)], capture_output=True, check=True)
                run(args.instr_requests)
                subprocess.run(["callgrind_control", "-d", test, str(server.proc.pid)], capture_output=True,
                               check=True)
                dumps = sorted((os.path.join(out, f) for f in os.listdir(out)), key=os.path.getmtime)
                with open(dumps[-1]) as f:
                    total = next(int(line.split()[1]) for line in f if line.startswith(("summary:", "totals:")))
                counts[(name, test)] = total / args.instr_requests
        finally:
            server.stop()
    for test in args.tests:
        r, f = counts[("redis", test)], counts[("ferrous", test)]
        print(f"{test:<22}{r:>12.0f}{f:>12.0f}{f / r:>7.2f}x")


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def load_file(strings, collections, elements):
    """A RESP file loading `strings` string keys and `collections` hashes, lists, sets, sorted sets."""
    path = os.path.join(tempfile.gettempdir(), f"ferrous-bench-load-{strings}-{collections}-{elements}.resp")
    if os.path.exists(path):
        return path
    with open(path + ".tmp", "wb") as f:
        for i in range(strings):
            f.write(resp("SET", f"key:{i}", f"value:{i}"))
        fields = [x for j in range(elements) for x in (f"field{j}", f"value{j}")]
        members = [f"member{j}" for j in range(elements)]
        scored = [x for j in range(elements) for x in (j, f"member{j}")]
        for i in range(collections):
            f.write(resp("HSET", f"hash:{i}", *fields))
            f.write(resp("RPUSH", f"list:{i}", *members))
            f.write(resp("SADD", f"set:{i}", *members))
            f.write(resp("ZADD", f"zset:{i}", *scored))
    os.rename(path + ".tmp", path)
    return path


def memory(servers, args):
    path = load_file(args.strings, args.collections, args.elements)
    print(f"\nMemory: RSS after loading {args.strings} strings and {args.collections} each of hashes, lists, "
          f"sets, sorted sets ({args.elements} elements):")
    print(f"{'server':<10}{'RSS empty':>12}{'RSS loaded':>12}{'keys':>10}")
    rss = {}
    for s in servers:
        s.cli("FLUSHALL")
        empty = s.rss_kb()
        with open(path, "rb") as f:
            subprocess.run(pinned(args.client_core, ["redis-cli", "-p", str(s.port), "--pipe"]), stdin=f,
                           stdout=subprocess.DEVNULL, check=True)
        loaded = s.rss_kb()
        rss[s.name] = loaded
        print(f"{s.name:<10}{empty / 1024:>10.1f}MB{loaded / 1024:>10.1f}MB{s.cli('DBSIZE'):>10}")
    print(f"ferrous/redis RSS ratio: {rss['ferrous'] / rss['redis']:.2f} (lower is better)")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--no-build", action="store_true", help="use the existing target/release/ferrous")
    p.add_argument("--ferrous", default=os.path.join(ROOT, "target", "release", "ferrous"))
    p.add_argument("--redis", default="redis-server")
    p.add_argument("--ferrous-args", default="", help='extra ferrous options, e.g. "--busy-poll-us 0"')
    p.add_argument("-t", "--tests", default=",".join(TESTS),
                   help="comma-separated redis-benchmark tests, or script tests: " + ",".join(SCRIPT_TESTS))
    p.add_argument("--scripts", action="store_true", help="run the script tests (" + ",".join(SCRIPT_BENCH) + ")")
    p.add_argument("-n", "--requests", type=int, default=100000, help="requests per run (x10 when pipelined)")
    p.add_argument("-c", "--clients", type=int, default=50)
    p.add_argument("-r", "--rounds", type=int, default=3)
    p.add_argument("-P", "--pipelines", default="1,16", help="comma-separated pipeline depths")
    p.add_argument("--server-core", type=int, default=0)
    p.add_argument("--client-core", type=int, default=1)
    p.add_argument("--strings", type=int, default=1000000)
    p.add_argument("--collections", type=int, default=100000)
    p.add_argument("--elements", type=int, default=5)
    p.add_argument("--skip-memory", action="store_true")
    p.add_argument("--skip-throughput", action="store_true")
    p.add_argument("--instructions", action="store_true",
                   help="instead of timing, count instructions per request under callgrind (lower is better)")
    p.add_argument("--instr-requests", type=int, default=10000, help="requests counted per test (--instructions)")
    args = p.parse_args()
    args.tests = SCRIPT_BENCH if args.scripts else args.tests.split(",")
    args.pipelines = [int(x) for x in args.pipelines.split(",")]
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "ferrous"], cwd=ROOT, check=True)
    if args.instructions:
        instructions(args)
        return
    servers = [Server("redis", args.redis, args.server_core),
               Server("ferrous", args.ferrous, args.server_core, extra=args.ferrous_args.split())]
    try:
        print(servers[0].cli("INFO", "server").splitlines()[1], "vs ferrous", file=sys.stderr)
        if not args.skip_throughput:
            throughput(servers, args)
        if not args.skip_memory and not args.scripts:
            memory(servers, args)
    finally:
        for s in servers:
            s.stop()


if __name__ == "__main__":
    main()
