//! The slow log (`SLOWLOG GET [count] | LEN | RESET | HELP`, `slowlog-log-slower-than`,
//! `slowlog-max-len`). Key decisions, as Redis 7.0: every executed command is a candidate when it
//! ends ([`record`], called by the dispatcher with its duration), so commands run by `EXEC` and by
//! scripts are logged one by one (script commands as client `?:0` with no name) and `EXEC` itself is
//! not (`skip_slowlog`), while `EVAL` is logged as a whole; a blocking command is logged when it is
//! served, never on timeout; argument vectors are trimmed to 32 entries and 128 bytes per string,
//! and passwords (`AUTH`, `HELLO ... AUTH`, `CONFIG SET requirepass/masterauth`) are redacted.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;
use crate::net::client::ClientState;
use crate::server::Server;
use std::collections::VecDeque;

/// Arguments kept per entry (the last slot says how many more there were).
const MAX_ARGC: usize = 32;
/// Bytes kept per argument.
const MAX_STRING: usize = 128;

/// One logged command.
#[derive(Debug)]
struct Entry {
    id: u64,
    unix_s: i64,
    micros: u64,
    argv: Vec<Vec<u8>>,
    addr: String,
    name: Vec<u8>,
}

/// The entries, newest first, and the next id.
#[derive(Debug, Default)]
pub struct SlowLog {
    entries: VecDeque<Entry>,
    next_id: u64,
}

macro_rules! sub {
    ($name:literal, $arity:expr, $flags:literal, $($rest:tt)*) => {
        super::table::command!("server"; $name, $arity, $flags, (0, 0, 0), $($rest)*)
    };
}

#[rustfmt::skip]
static SUBCOMMANDS: &[Command] = &[
    sub!("get", -2, "admin loading stale", "admin slow dangerous", "2.2.12", "Get the slow log's entries", "O(N) where N is the number of entries returned", slowlog_get),
    sub!("len", 2, "admin loading stale", "admin slow dangerous", "2.2.12", "Get the slow log's length", "O(1)", slowlog_len),
    sub!("reset", 2, "admin loading stale", "admin slow dangerous", "2.2.12", "Clear all entries from the slow log", "O(N) where N is the number of entries in the slowlog", slowlog_reset),
    sub!("help", 2, "loading stale", "slow", "6.2.0", "Show helpful text about the different subcommands", "O(1)", slowlog_help),
];

/// `SLOWLOG`.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    Command { name: "slowlog", arity: -2, acl: "slow", group: "server", since: "2.2.12", summary: "A container for slow log commands", complexity: "Depends on subcommand.", subcommands: SUBCOMMANDS, ..Command::DEFAULT },
];

/// Logs a command that ran `micros` microseconds when it reaches `slowlog-log-slower-than`.
pub fn record(
    server: &mut Server,
    client: &ClientState,
    cmd: &Command,
    argv: &[Vec<u8>],
    micros: u64,
) {
    let slower = server.config.int(D::slowlog_log_slower_than);
    if slower < 0 || (micros as i64) < slower {
        return;
    }
    if cmd
        .flags
        .split_ascii_whitespace()
        .any(|f| f == "skip_slowlog")
    {
        return;
    }
    let (addr, name) = if client.script {
        ("?:0".to_string(), Vec::new())
    } else {
        (client.addr.clone(), client.name.clone())
    };
    let log = &mut server.slowlog;
    log.entries.push_front(Entry {
        id: log.next_id,
        unix_s: crate::db::clock::system_ms() / 1000,
        micros,
        argv: trimmed(&redacted(argv)),
        addr,
        name,
    });
    log.next_id += 1;
    let max = server.config.int(D::slowlog_max_len).max(0) as usize;
    log.entries.truncate(max);
}

/// The arguments with passwords replaced by `(redacted)`.
fn redacted(argv: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = argv.to_vec();
    let hide = |a: &mut Vec<u8>| *a = b"(redacted)".to_vec();
    let is = |i: usize, w: &str| argv.get(i).is_some_and(|a| args::is(a, w));
    if is(0, "AUTH") {
        out.iter_mut().skip(1).for_each(hide);
    } else if is(0, "HELLO") {
        let mut i = 2;
        while i < argv.len() {
            if is(i, "AUTH") && i + 2 < argv.len() {
                hide(&mut out[i + 1]);
                hide(&mut out[i + 2]);
                i += 3;
            } else {
                i += 1 + usize::from(is(i, "SETNAME"));
            }
        }
    } else if is(0, "CONFIG") && is(1, "SET") {
        for i in (2..argv.len()).step_by(2) {
            if (is(i, "requirepass") || is(i, "masterauth")) && i + 1 < argv.len() {
                hide(&mut out[i + 1]);
            }
        }
    }
    out
}

/// Redis's trimming: at most 32 arguments (the last one replaced by `... (N more arguments)`) and
/// 128 bytes per argument (followed by `... (N more bytes)`).
fn trimmed(argv: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let kept = if argv.len() > MAX_ARGC {
        MAX_ARGC - 1
    } else {
        argv.len()
    };
    let mut out: Vec<Vec<u8>> = argv[..kept]
        .iter()
        .map(|a| {
            if a.len() > MAX_STRING {
                let mut s = a[..MAX_STRING].to_vec();
                s.extend_from_slice(
                    format!("... ({} more bytes)", a.len() - MAX_STRING).as_bytes(),
                );
                s
            } else {
                a.clone()
            }
        })
        .collect();
    if kept < argv.len() {
        out.push(format!("... ({} more arguments)", argv.len() - kept).into_bytes());
    }
    out
}

fn slowlog_get(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if argv.len() > 3 {
        return Err(errors::subcommand_syntax(&argv[1], "SLOWLOG"));
    }
    let count = match argv.get(2) {
        None => 10,
        Some(a) => match args::int(a) {
            Ok(n) if n >= -1 => n,
            _ => {
                return Err(CmdError::fixed(
                    "ERR count should be greater than or equal to -1",
                ))
            }
        },
    };
    let log = &cx.server.slowlog.entries;
    let n = if count == -1 {
        log.len()
    } else {
        log.len().min(count as usize)
    };
    cx.out.array(n);
    for e in log.iter().take(n) {
        cx.out.array(6);
        cx.out.int(e.id as i64);
        cx.out.int(e.unix_s);
        cx.out.int(e.micros as i64);
        cx.out.array(e.argv.len());
        for a in &e.argv {
            cx.out.bulk(a);
        }
        cx.out.bulk(e.addr.as_bytes());
        cx.out.bulk(&e.name);
    }
    Ok(())
}

fn slowlog_len(cx: &mut Ctx, _argv: &[Vec<u8>]) -> CmdResult {
    cx.out.int(cx.server.slowlog.entries.len() as i64);
    Ok(())
}

fn slowlog_reset(cx: &mut Ctx, _argv: &[Vec<u8>]) -> CmdResult {
    cx.server.slowlog.entries.clear();
    cx.out.ok();
    Ok(())
}

fn slowlog_help(cx: &mut Ctx, _argv: &[Vec<u8>]) -> CmdResult {
    let lines = [
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.simple_lines(&lines);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_argument_vectors_are_trimmed_like_redis() {
        let argv: Vec<Vec<u8>> = (0..35).map(|i| i.to_string().into_bytes()).collect();
        let t = trimmed(&argv);
        assert_eq!(t.len(), 32);
        assert_eq!(t[31], b"... (4 more arguments)");
        let t = trimmed(&[vec![b'a'; 200]]);
        assert!(t[0].ends_with(b"... (72 more bytes)"));
        let r = redacted(&[
            b"hello".to_vec(),
            b"3".to_vec(),
            b"AUTH".to_vec(),
            b"u".to_vec(),
            b"p".to_vec(),
        ]);
        assert_eq!(r[3], b"(redacted)");
    }
}
