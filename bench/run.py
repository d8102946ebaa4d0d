#!/usr/bin/env python3
"""Ferrous benchmark runner: ferrous-lua vs PUC-Rio lua5.1 (and optionally luajit -joff).

Standard library only. See bench/README.md for usage and how to read the output.
"""

import argparse
import fnmatch
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
LUA_DIR = os.path.join(BENCH_DIR, "lua")
DEFAULT_FERROUS = os.path.join(REPO_ROOT, "target", "release", "ferrous-lua")
TIME_BIN = "/usr/bin/time"


def group_of(name):
    return "lib" if name.startswith("lib_") else "core"


def discover():
    names = sorted(f[:-4] for f in os.listdir(LUA_DIR) if f.endswith(".lua"))
    return names


def select_programs(all_names, patterns, group):
    names = [n for n in all_names if group == "all" or group_of(n) == group]
    if not patterns:
        return names
    chosen = []
    for pat in patterns:
        pat = os.path.basename(pat)
        if pat.endswith(".lua"):
            pat = pat[:-4]
        hits = [n for n in names if fnmatch.fnmatchcase(n, pat)]
        if not hits:
            sys.exit("run.py: no program matches %r (group %s); known: %s"
                     % (pat, group, " ".join(names)))
        for h in hits:
            if h not in chosen:
                chosen.append(h)
    return chosen


def resolve_exe(path):
    """Return an absolute executable path or None."""
    if os.sep in path:
        p = os.path.abspath(path)
        return p if os.path.isfile(p) and os.access(p, os.X_OK) else None
    return shutil.which(path)


class Result:
    __slots__ = ("ok", "wall", "rss_kb", "stdout", "err")

    def __init__(self, ok, wall, rss_kb, stdout, err):
        self.ok, self.wall, self.rss_kb, self.stdout, self.err = ok, wall, rss_kb, stdout, err


def run_once(cmd, script, timeout, use_time_bin):
    """Run `cmd script` once. Wall time from perf_counter, peak RSS (KiB) from
    /usr/bin/time %M when available, else from wait4()'s rusage of that child."""
    argv = list(cmd) + [script]
    tfile = None
    if use_time_bin:
        fd, tfile = tempfile.mkstemp(prefix="ferrous-bench-", suffix=".time")
        os.close(fd)
        argv = [TIME_BIN, "-f", "%e %M", "-o", tfile] + argv
    out_f = tempfile.TemporaryFile()
    err_f = tempfile.TemporaryFile()
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out_f, stderr=err_f, stdin=subprocess.DEVNULL,
                                cwd=LUA_DIR, start_new_session=True)
        deadline = t0 + timeout
        status = ru = None
        timed_out = False
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                pid, status, ru = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        proc.returncode = 0  # reaped by wait4; keep Popen from waiting again
        out_f.seek(0)
        err_f.seek(0)
        stdout = out_f.read().decode("utf-8", "replace")
        stderr = err_f.read().decode("utf-8", "replace")
        rss = ru.ru_maxrss  # KiB on Linux; includes /usr/bin/time itself, overridden below
        code = os.waitstatus_to_exitcode(status)
        if tfile:
            with open(tfile) as f:
                lines = [l for l in f.read().splitlines() if l.strip()]
            if lines:
                try:
                    rss = int(lines[-1].split()[1])
                except (IndexError, ValueError):
                    pass
            # /usr/bin/time exits 128+N when the program dies from signal N
            for l in lines:
                if l.startswith("Command terminated by signal"):
                    code = -int(l.split()[-1])
        if timed_out:
            return Result(False, wall, rss, stdout, "timeout after %gs" % timeout)
        if code != 0:
            first = next((l for l in stderr.splitlines() if l.strip()), "")
            what = ("killed by signal %d" % -code) if code < 0 else ("exit %d" % code)
            return Result(False, wall, rss, stdout, (what + ": " + first)[:200])
        return Result(True, wall, rss, stdout, None)
    finally:
        out_f.close()
        err_f.close()
        if tfile:
            try:
                os.unlink(tfile)
            except OSError:
                pass


def fmt_t(x):
    return "-" if x is None else "%.3f" % x


def fmt_r(x):
    return "-" if x is None else "%.2f" % x


def fmt_mb(kb):
    return "-" if kb is None else "%.1f" % (kb / 1024.0)


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def build(args):
    cmd = ["cargo", "build", "--release", "-p", "ferrous-lua-cli"]
    print("+ " + " ".join(cmd) + "   (in %s)" % REPO_ROOT, file=sys.stderr, flush=True)
    r = subprocess.run(cmd, cwd=REPO_ROOT)
    if r.returncode != 0:
        sys.exit("run.py: cargo build failed (exit %d); use --no-build to skip" % r.returncode)


def main():
    ap = argparse.ArgumentParser(
        description="Benchmark ferrous-lua against lua5.1 (interleaved A/B rounds).")
    ap.add_argument("programs", nargs="*",
                    help="program names or globs (e.g. fib 'lib_*'); default: all in the group")
    ap.add_argument("-n", "--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 5)),
                    help="A/B rounds per program (default 5, env BENCH_ROUNDS)")
    ap.add_argument("-g", "--group", choices=["core", "lib", "all"], default="all",
                    help="program group (default all)")
    ap.add_argument("--ferrous", metavar="PATH", default=os.environ.get("FERROUS_LUA"),
                    help="interpreter under test (default target/release/ferrous-lua, "
                         "env FERROUS_LUA); giving it skips the cargo build")
    ap.add_argument("--lua", metavar="PATH", default=os.environ.get("LUA51", "lua5.1"),
                    help="reference interpreter (default lua5.1, env LUA51)")
    ap.add_argument("--luajit", action="store_true", help="add a 'luajit -joff' column")
    ap.add_argument("--luajit-bin", metavar="PATH", default="luajit", help="luajit binary")
    ap.add_argument("--no-build", action="store_true", help="skip cargo build")
    ap.add_argument("--build", action="store_true",
                    help="run cargo build even when --ferrous is given")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="per-run timeout in seconds (default 60)")
    ap.add_argument("--stat", choices=["median", "min"], default="median",
                    help="how to combine a program's rounds (default median; min is more "
                         "robust when the machine has background load)")
    ap.add_argument("--json", metavar="FILE", help="also write all raw measurements as JSON")
    ap.add_argument("--list", action="store_true", help="list programs and exit")
    args = ap.parse_args()

    all_names = discover()
    if args.list:
        for n in all_names:
            print("%-20s %s" % (n, group_of(n)))
        return 0
    if args.rounds < 1:
        sys.exit("run.py: --rounds must be >= 1")
    programs = select_programs(all_names, args.programs, args.group)

    ferrous_given = args.ferrous is not None
    if (not ferrous_given and not args.no_build) or args.build:
        build(args)
    ferrous = resolve_exe(args.ferrous or DEFAULT_FERROUS)
    if not ferrous:
        sys.exit("run.py: ferrous-lua not found at %s (build it, or pass --ferrous PATH)"
                 % (args.ferrous or DEFAULT_FERROUS))
    lua = resolve_exe(args.lua)
    if not lua:
        sys.exit("run.py: reference interpreter %r not found" % args.lua)
    impls = [("ferrous", [ferrous]), ("lua5.1", [lua])]
    if args.luajit:
        lj = resolve_exe(args.luajit_bin)
        if not lj:
            sys.exit("run.py: luajit %r not found" % args.luajit_bin)
        impls.append(("luajit", [lj, "-joff"]))

    use_time_bin = (os.path.isfile(TIME_BIN) and os.access(TIME_BIN, os.X_OK)
                    and not os.environ.get("BENCH_NO_TIME_BIN"))
    progress = sys.stderr.isatty()
    print("ferrous: %s\nlua5.1 : %s%s\nrounds : %d   time: %s   rss via: %s\n" % (
        ferrous, lua, ("\nluajit : %s -joff" % impls[2][1][0]) if args.luajit else "",
        args.rounds, args.stat, TIME_BIN + " %M" if use_time_bin else
        "wait4 rusage (approximate: never below the runner's own RSS at fork time)"),
        file=sys.stderr, flush=True)

    rows = []
    raw = {}
    for prog in programs:
        script = os.path.join(LUA_DIR, prog + ".lua")
        runs = {name: [] for name, _ in impls}
        ferrous_failed = False
        for rnd in range(args.rounds):
            # Interleave: alternate which side goes first each round (ABBA...).
            order = impls if rnd % 2 == 0 else [impls[1], impls[0]] + impls[2:]
            for name, cmd in order:
                if name == "ferrous" and ferrous_failed:
                    continue
                r = run_once(cmd, script, args.timeout, use_time_bin)
                runs[name].append(r)
                if name == "ferrous" and not r.ok:
                    ferrous_failed = True  # don't waste rounds on a crashing program
            if progress:
                print("  %-20s round %d/%d " % (prog, rnd + 1, args.rounds),
                      end="\r", file=sys.stderr, flush=True)
        if progress:
            print(" " * 40, end="\r", file=sys.stderr, flush=True)

        # Reference output: the lua5.1 outputs must all agree.
        ref_ok = [r for r in runs["lua5.1"] if r.ok]
        ref_outs = {r.stdout for r in ref_ok}
        row = {"program": prog, "group": group_of(prog), "notes": []}
        if not ref_ok:
            row["status"] = "REF-FAIL"
            row["notes"].append("lua5.1: " + (runs["lua5.1"][0].err or "failed"))
            ref = None
        else:
            if len(ref_outs) > 1:
                row["notes"].append("lua5.1 output is nondeterministic")
            ref = ref_ok[0].stdout
            if not ref.strip():
                row["notes"].append("lua5.1 printed nothing")

        def summarize(name):
            rs = runs[name]
            good = [r for r in rs if r.ok and (ref is None or r.stdout == ref)]
            bad_out = [r for r in rs if r.ok and ref is not None and r.stdout != ref]
            failed = [r for r in rs if not r.ok]
            combine = min if args.stat == "min" else statistics.median
            med = combine([r.wall for r in good]) if good else None
            rss = max(r.rss_kb for r in good) if good else None
            return good, bad_out, failed, med, rss

        fg, fbad, ffail, ft, frss = summarize("ferrous")
        lg, _, _, lt, lrss = summarize("lua5.1")
        row.update(ferrous_time=ft, lua_time=lt, ferrous_rss_kb=frss, lua_rss_kb=lrss)
        if args.luajit:
            jg, jbad, jfail, jt, jrss = summarize("luajit")
            row.update(luajit_time=jt, luajit_rss_kb=jrss)
            if jbad:
                row["notes"].append("luajit output differs from lua5.1")
            if jfail:
                row["notes"].append("luajit: " + jfail[0].err)
        if "status" not in row:
            if ffail:
                row["status"] = "FAIL"
                row["notes"].append("ferrous: " + ffail[0].err)
            elif not fg:
                row["status"] = "MISMATCH"
            elif fbad:
                row["status"] = "PARTIAL"  # some rounds mismatched; those excluded
            else:
                row["status"] = "OK"
            if fbad:
                exp = ref.strip().splitlines()[-1:] if ref else [""]
                got = fbad[0].stdout.strip().splitlines()[-1:] or [""]
                row["notes"].append("ferrous output mismatch in %d/%d runs: expected %r got %r"
                                    % (len(fbad), len(runs["ferrous"]), exp[0], got[0]))
        row["ratio"] = ft / lt if (ft and lt and row["status"] in ("OK", "PARTIAL")) else None
        row["rss_ratio"] = frss / lrss if (frss and lrss and row["ratio"] is not None) else None
        if args.luajit:
            row["ratio_luajit"] = ft / jt if (row["ratio"] is not None and jt) else None
        rows.append(row)
        raw[prog] = {name: [{"ok": r.ok, "wall": r.wall, "rss_kb": r.rss_kb, "err": r.err}
                            for r in rs] for name, rs in runs.items()}

    # ---- table ----
    hdr = ["program", "grp", "ferrous s", "lua5.1 s", "ratio", "ferrous MB", "lua5.1 MB",
           "rss ratio"]
    if args.luajit:
        hdr += ["jit-off s", "f/jit"]
    hdr += ["status"]
    table = []
    for r in rows:
        line = [r["program"], r["group"], fmt_t(r["ferrous_time"]), fmt_t(r["lua_time"]),
                fmt_r(r["ratio"]), fmt_mb(r["ferrous_rss_kb"]), fmt_mb(r["lua_rss_kb"]),
                fmt_r(r["rss_ratio"])]
        if args.luajit:
            line += [fmt_t(r.get("luajit_time")), fmt_r(r.get("ratio_luajit"))]
        line += [r["status"]]
        table.append(line)
    widths = [max(len(h), *(len(l[i]) for l in table)) if table else len(h)
              for i, h in enumerate(hdr)]

    def emit(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(c.ljust(widths[i]) if i in (0, 1, len(cells) - 1) else c.rjust(widths[i]))
        print("  ".join(out).rstrip())

    emit(hdr)
    print("  ".join("-" * w for w in widths))
    for l in table:
        emit(l)
    print()
    for r in rows:
        for n in r["notes"]:
            print("note: %s: %s" % (r["program"], n))

    ok = [r for r in rows if r["ratio"] is not None]
    ratios = [r["ratio"] for r in ok]
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print()
    print("programs: %d   %s" % (len(rows), "  ".join("%s=%d" % kv for kv in sorted(counts.items()))))
    if ratios:
        worst = max(ok, key=lambda r: r["ratio"])
        best = min(ok, key=lambda r: r["ratio"])
        print("time ratio ferrous/lua5.1: geomean %.3f   max %.2f (%s)   min %.2f (%s)   [over %d programs]"
              % (geomean(ratios), worst["ratio"], worst["program"], best["ratio"],
                 best["program"], len(ratios)))
        rr = [r["rss_ratio"] for r in ok if r["rss_ratio"]]
        if rr:
            print("rss  ratio ferrous/lua5.1: geomean %.3f   max %.2f" % (geomean(rr), max(rr)))
        if args.luajit:
            jr = [r["ratio_luajit"] for r in ok if r.get("ratio_luajit")]
            if jr:
                print("time ratio ferrous/luajit-joff: geomean %.3f   max %.2f" % (geomean(jr), max(jr)))
    else:
        print("time ratio ferrous/lua5.1: no program ran successfully under ferrous-lua")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ferrous": ferrous, "lua": lua, "rounds": args.rounds, "stat": args.stat,
                       "rows": rows, "runs": raw}, f, indent=1)
    # Exit status: 0 if every program ran correctly, 1 otherwise (useful in CI).
    return 0 if all(r["status"] == "OK" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
