//! `MEMORY` (USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP): what the keyspace and the process use,
//! from the counting allocator ([`crate::alloc`]) and per-value size estimates
//! ([`crate::db::Value::memory_usage`]). Key decision: reply shapes and texts are Redis 7.0's; the
//! jemalloc-specific figures of `MEMORY STATS` are given from the libc allocator's numbers (ferrous
//! reports `mem_allocator:libc`, and Redis built with libc does the same).

use super::errors;
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::alloc;
use crate::db::Db;

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("server"; $($entry)*)
    };
}

const NOKEY: (i32, i32, i32) = (0, 0, 0);

/// The MEMORY container.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    Command { name: "memory", arity: -2, flags: "", acl: "slow", group: "server", since: "4.0.0", summary: "A container for memory diagnostics commands", complexity: "Depends on subcommand.", subcommands: SUBCOMMANDS, ..Command::DEFAULT },
];

#[rustfmt::skip]
static SUBCOMMANDS: &[Command] = &[
    cmd!("doctor", 2, "", NOKEY, "slow", "4.0.0", "Outputs memory problems report", "O(1)", doctor),
    cmd!("help", 2, "loading stale", NOKEY, "slow", "4.0.0", "Show helpful text about the different subcommands", "O(1)", help),
    cmd!("malloc-stats", 2, "", NOKEY, "slow", "4.0.0", "Show allocator internal stats", "Depends on how much memory is allocated, could be slow", malloc_stats),
    cmd!("purge", 2, "", NOKEY, "slow", "4.0.0", "Ask the allocator to release memory", "Depends on how much memory is allocated, could be slow", purge),
    cmd!("stats", 2, "", NOKEY, "slow", "4.0.0", "Show memory usage details", "O(1)", stats),
    cmd!("usage", -3, "readonly", (2, 2, 1), "read slow", "4.0.0", "Estimate the memory usage of a key", "O(N) where N is the number of samples.", usage),
];

/// Elements of a collection `MEMORY USAGE` samples by default.
const DEFAULT_SAMPLES: usize = 5;

/// `MEMORY USAGE key [SAMPLES count]`: bytes of the key, its slot in the keyspace and its value.
fn usage(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut samples = DEFAULT_SAMPLES;
    let mut i = 3;
    while i < args.len() {
        if args::is(&args[i], "SAMPLES") && i + 1 < args.len() {
            let n = args::int(&args[i + 1])?;
            if n < 0 {
                return Err(errors::SYNTAX);
            }
            samples = if n == 0 { usize::MAX } else { n as usize };
            i += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    let (db, out) = cx.db_out();
    match db.key_memory(&args[2], samples) {
        Some(n) => out.int(n as i64),
        None => out.null(),
    }
    Ok(())
}

/// Figures shared by `MEMORY STATS`, `MEMORY DOCTOR` and `INFO memory`.
pub struct Usage {
    /// Bytes allocated now.
    pub used: usize,
    /// Most bytes allocated at once.
    pub peak: usize,
    /// Bytes allocated when the server had started.
    pub startup: usize,
    /// Keyspace tables (main and expires) of every database.
    pub tables: usize,
    /// Resident set size.
    pub rss: usize,
}

impl Usage {
    /// Measures now.
    pub fn now(dbs: &[Db]) -> Usage {
        Usage {
            used: alloc::used(),
            peak: alloc::peak(),
            startup: alloc::startup(),
            tables: dbs
                .iter()
                .map(|d| d.table_bytes().0 + d.table_bytes().1)
                .sum(),
            rss: alloc::rss(),
        }
    }

    /// Bytes not attributed to keys and values (start-up state plus keyspace tables).
    pub fn overhead(&self) -> usize {
        self.startup + self.tables
    }

    /// Bytes of keys and values.
    pub fn dataset(&self) -> usize {
        self.used.saturating_sub(self.overhead())
    }

    /// Percentage of `part` in `whole` (0 when `whole` is 0).
    pub fn percent(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            0.0
        } else {
            part as f64 * 100.0 / whole as f64
        }
    }

    /// RSS over allocated bytes (`mem_fragmentation_ratio`).
    pub fn fragmentation(&self) -> f64 {
        if self.used == 0 {
            0.0
        } else {
            self.rss as f64 / self.used as f64
        }
    }
}

fn stats(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let u = Usage::now(&cx.server.dbs);
    let keys: usize = cx.server.dbs.iter().map(Db::len).sum();
    let dbs: Vec<(usize, (usize, usize))> = cx
        .server
        .dbs
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.is_empty())
        .map(|(i, d)| (i, d.table_bytes()))
        .collect();
    let out = &mut cx.out;
    out.map(27 + dbs.len());
    let int = |out: &mut crate::resp::Reply, k: &str, v: usize| {
        out.bulk(k.as_bytes());
        out.int(v as i64);
    };
    let dbl = |out: &mut crate::resp::Reply, k: &str, v: f64| {
        out.bulk(k.as_bytes());
        out.double(v);
    };
    int(out, "peak.allocated", u.peak);
    int(out, "total.allocated", u.used);
    int(out, "startup.allocated", u.startup);
    for k in [
        "replication.backlog",
        "clients.slaves",
        "clients.normal",
        "cluster.links",
    ] {
        int(out, k, 0);
    }
    for k in ["aof.buffer", "lua.caches", "functions.caches"] {
        int(out, k, 0);
    }
    for (i, (main, expires)) in dbs {
        out.bulk(format!("db.{i}").as_bytes());
        out.map(3);
        int(out, "overhead.hashtable.main", main);
        int(out, "overhead.hashtable.expires", expires);
        int(out, "overhead.hashtable.slot-to-keys", 0);
    }
    int(out, "overhead.total", u.overhead());
    int(out, "keys.count", keys);
    let net = u.used.saturating_sub(u.startup);
    int(
        out,
        "keys.bytes-per-key",
        net.checked_div(keys).unwrap_or(0),
    );
    int(out, "dataset.bytes", u.dataset());
    dbl(out, "dataset.percentage", Usage::percent(u.dataset(), net));
    dbl(out, "peak.percentage", Usage::percent(u.used, u.peak));
    int(out, "allocator.allocated", u.used);
    int(out, "allocator.active", u.used);
    int(out, "allocator.resident", u.rss);
    dbl(out, "allocator-fragmentation.ratio", 1.0);
    int(out, "allocator-fragmentation.bytes", 0);
    dbl(out, "allocator-rss.ratio", u.fragmentation());
    int(out, "allocator-rss.bytes", u.rss.saturating_sub(u.used));
    dbl(out, "rss-overhead.ratio", 1.0);
    int(out, "rss-overhead.bytes", 0);
    dbl(out, "fragmentation", u.fragmentation());
    int(out, "fragmentation.bytes", u.rss.saturating_sub(u.used));
    Ok(())
}

/// Redis's `getMemoryDoctorReport` for the two cases a libc build meets: too little data to judge,
/// or a high fragmentation ratio; otherwise all is well.
fn doctor(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let u = Usage::now(&cx.server.dbs);
    let text = if u.used < 5 << 20 {
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n".to_string()
    } else if u.fragmentation() > 1.4 && u.rss.saturating_sub(u.used) > 10 << 20 {
        format!("Sam, I detected a few issues in this Redis instance memory implants:\n\n * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 ({:.2}; this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue.\n\nI'm here to keep you safe, Sam. I want to help you.\n", u.fragmentation())
    } else {
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n".to_string()
    };
    cx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

fn malloc_stats(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out
        .simple("Stats not supported for the current allocator");
    Ok(())
}

fn purge(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.ok();
    Ok(())
}

fn help(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let lines = [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.simple_lines(&lines);
    Ok(())
}
