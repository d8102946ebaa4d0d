//! Server commands: COMMAND (COUNT INFO DOCS GETKEYS LIST), DBSIZE, FLUSHDB/FLUSHALL, INFO, CONFIG,
//! TIME, LASTSAVE, SHUTDOWN, DEBUG.

use super::errors::{self, CmdError};
use super::table::{table, Command};
use super::{CmdResult, Ctx};
use crate::config::D;
use crate::resp::Reply;
use std::fmt::Write as _;

macro_rules! srv {
    ($name:literal, $arity:expr, $flags:literal, $acl:literal, $since:literal, $summary:literal, $complexity:literal, $handler:expr) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: $acl,
            group: "server",
            since: $since,
            summary: $summary,
            complexity: $complexity,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

/// The server commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    srv!("command", -1, "loading stale sentinel", "slow connection", "2.8.13", "Get array of Redis command details", "O(N) where N is the total number of Redis commands", command),
    srv!("dbsize", 1, "readonly fast", "keyspace read fast", "1.0.0", "Return the number of keys in the selected database", "O(1)", dbsize),
    srv!("info", -1, "loading stale sentinel", "slow dangerous", "1.0.0", "Get information and statistics about the server", "O(1)", super::info::info),
    srv!("time", 1, "loading stale fast", "fast", "2.6.0", "Return the current server time", "O(1)", time),
    srv!("lastsave", 1, "loading stale fast", "fast dangerous", "1.0.0", "Get the UNIX time stamp of the last successful save to disk", "O(1)", lastsave),
    srv!("shutdown", -1, "admin noscript loading stale no_multi sentinel allow_busy", "admin slow dangerous", "1.0.0", "Synchronously save the dataset to disk and then shut down the server", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)", shutdown),
    Command { name: "config", arity: -2, acl: "slow", group: "server", since: "2.0.0", summary: "A container for server configuration commands", complexity: "Depends on subcommand.", subcommands: CONFIG_SUBCOMMANDS, ..Command::DEFAULT },
    srv!("debug", -2, "admin noscript loading stale", "admin slow dangerous", "1.0.0", "A container for debugging commands", "Depends on subcommand.", debug),
];

#[rustfmt::skip]
static CONFIG_SUBCOMMANDS: &[Command] = &[
    srv!("get", -3, "admin noscript loading stale", "admin slow dangerous", "2.0.0", "Get the values of configuration parameters", "O(N) when N is the number of configuration parameters provided", config_get),
    srv!("set", -4, "admin noscript loading stale", "admin slow dangerous", "2.0.0", "Set configuration parameters to the given values", "O(N) when N is the number of configuration parameters provided", config_set),
    srv!("resetstat", 2, "admin noscript loading stale", "admin slow dangerous", "2.0.0", "Reset the stats returned by INFO", "O(1)", config_resetstat),
    srv!("rewrite", 2, "admin noscript loading stale", "admin slow dangerous", "2.8.0", "Rewrite the configuration file with the in memory configuration", "O(1)", config_rewrite),
    srv!("help", 2, "loading stale", "slow", "5.0.0", "Show helpful text about the different subcommands", "O(1)", config_help),
];

fn dbsize(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let n = cx.db().len();
    cx.out.int(n as i64);
    Ok(())
}

fn command(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let t = table();
    if args.len() == 1 {
        cx.out.array(t.order.len());
        for c in &t.order {
            command_info(cx.out, c, None);
        }
        return Ok(());
    }
    let sub = &args[1];
    let is = |w: &str| sub.eq_ignore_ascii_case(w.as_bytes());
    if is("COUNT") && args.len() == 2 {
        cx.out.int(t.len() as i64);
    } else if is("INFO") {
        cx.out.array(args.len() - 2);
        for name in &args[2..] {
            match t.lookup(name) {
                Some(e) => command_info(cx.out, e.cmd, None),
                None => cx.out.null_array(),
            }
        }
    } else if is("GETKEYS") && args.len() >= 3 {
        return getkeys(cx, &args[2..]);
    } else if is("LIST") {
        cx.out.array(t.order.len());
        for c in &t.order {
            cx.out.bulk(c.name.as_bytes());
        }
    } else if is("DOCS") {
        command_docs(cx, &args[2..]);
    } else {
        return Err(errors::unknown_subcommand(sub, "command"));
    }
    Ok(())
}

/// One `COMMAND INFO` entry (Redis 7 layout: name arity flags first last step acl tips keyspecs subs).
fn command_info(out: &mut Reply, c: &Command, parent: Option<&str>) {
    out.array(10);
    match parent {
        Some(p) => out.bulk(format!("{p}|{}", c.name).as_bytes()),
        None => out.bulk(c.name.as_bytes()),
    }
    out.int(c.arity as i64);
    let flags: Vec<&str> = c.flags.split_ascii_whitespace().collect();
    out.set(flags.len());
    for f in flags {
        out.simple(f);
    }
    out.int(c.first_key as i64);
    out.int(c.last_key as i64);
    out.int(c.step as i64);
    let acl: Vec<&str> = c.acl.split_ascii_whitespace().collect();
    out.set(acl.len());
    for a in acl {
        out.simple(&format!("@{a}"));
    }
    out.array(0);
    out.array(0);
    out.array(c.subcommands.len());
    for s in c.subcommands {
        command_info(out, s, Some(c.name));
    }
}

fn command_docs(cx: &mut Ctx, names: &[Vec<u8>]) {
    let t = table();
    let cmds: Vec<&Command> = if names.is_empty() {
        t.order.clone()
    } else {
        names
            .iter()
            .filter_map(|n| t.lookup(n).map(|e| e.cmd))
            .collect()
    };
    cx.out.map(cmds.len());
    for c in cmds {
        cx.out.bulk(c.name.as_bytes());
        cx.out.map(4);
        cx.out.bulk(b"summary");
        cx.out.bulk(c.summary.as_bytes());
        cx.out.bulk(b"since");
        cx.out.bulk(c.since.as_bytes());
        cx.out.bulk(b"group");
        cx.out.bulk(c.group.as_bytes());
        cx.out.bulk(b"complexity");
        cx.out.bulk(c.complexity.as_bytes());
    }
}

fn getkeys(cx: &mut Ctx, call: &[Vec<u8>]) -> CmdResult {
    let Some(e) = table().lookup(&call[0]) else {
        return Err(CmdError::fixed("ERR Invalid command specified"));
    };
    if !e.cmd.arity_ok(call.len()) {
        return Err(CmdError::fixed(
            "ERR Invalid number of arguments specified for command",
        ));
    }
    let keys = e.cmd.key_positions(call.len());
    if keys.is_empty() {
        return Err(CmdError::fixed("ERR The command has no key arguments"));
    }
    cx.out.array(keys.len());
    for k in keys {
        cx.out.bulk(&call[k]);
    }
    Ok(())
}

fn time(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let us = crate::db::clock::system_us();
    cx.out.array(2);
    cx.out.bulk((us / 1_000_000).to_string().as_bytes());
    cx.out.bulk((us % 1_000_000).to_string().as_bytes());
    Ok(())
}

fn lastsave(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.int(cx.server.lastsave);
    Ok(())
}

fn shutdown(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    for a in &args[1..] {
        let known = ["NOSAVE", "SAVE", "NOW", "FORCE", "ABORT"];
        if !known.iter().any(|w| a.eq_ignore_ascii_case(w.as_bytes())) {
            return Err(errors::SYNTAX);
        }
        if a.eq_ignore_ascii_case(b"ABORT") {
            return Err(CmdError::fixed("ERR No shutdown in progress."));
        }
    }
    crate::log::warning("User requested shutdown...");
    cx.server.shutdown = crate::server::Shutdown::Now;
    cx.client.close_after_reply = true;
    Ok(())
}

fn config_get(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut pairs: Vec<(&'static str, String)> = Vec::new();
    for pattern in &args[2..] {
        for (name, value) in cx.server.config.matching(pattern) {
            if !pairs.iter().any(|(n, _)| *n == name) {
                pairs.push((name, value));
            }
        }
    }
    cx.out.map(pairs.len());
    for (name, value) in pairs {
        cx.out.bulk(name.as_bytes());
        cx.out.bulk(value.as_bytes());
    }
    Ok(())
}

fn config_set(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args.len() % 2 == 1 {
        return Err(errors::wrong_arity("config|set"));
    }
    let mut next = cx.server.config.clone();
    let mut seen: Vec<usize> = Vec::new();
    for pair in args[2..].chunks_exact(2) {
        let name = String::from_utf8_lossy(&pair[0]).to_string();
        let value = String::from_utf8_lossy(&pair[1]).to_string();
        let failed = |why: &str| {
            CmdError::owned(format!(
                "ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"
            ))
        };
        let Some(idx) = crate::config::find(&name) else {
            return Err(CmdError::owned(format!(
                "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
            )));
        };
        if seen.contains(&idx) {
            return Err(failed("duplicate parameter"));
        }
        seen.push(idx);
        if let Err(why) = check_special(&name, &value) {
            return Err(failed(why));
        }
        match next.set(&name, &value, true) {
            Ok(()) => {}
            Err(crate::config::ConfigError::Immutable) => {
                return Err(failed("can't set immutable config"))
            }
            Err(crate::config::ConfigError::Invalid(why)) => return Err(failed(&why)),
            Err(crate::config::ConfigError::Unknown) => return Err(failed("unknown")),
        }
    }
    crate::log::set_level(next.text(D::loglevel));
    cx.server.config = next;
    cx.server.apply_config();
    cx.out.ok();
    Ok(())
}

/// Validates the directives whose text has inner syntax, with Redis's `CONFIG SET` reasons.
fn check_special(name: &str, value: &str) -> Result<(), &'static str> {
    if name.eq_ignore_ascii_case("notify-keyspace-events")
        && super::notify::parse_flags(value).is_none()
    {
        return Err("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    }
    if name.eq_ignore_ascii_case("client-output-buffer-limit") {
        let words: Vec<&str> = value.split_ascii_whitespace().collect();
        if !words.len().is_multiple_of(4) {
            return Err("Wrong number of arguments in buffer limit configuration.");
        }
        for w in words.chunks_exact(4) {
            if !["normal", "slave", "replica", "pubsub"]
                .contains(&w[0].to_ascii_lowercase().as_str())
            {
                return Err("Invalid client class specified in buffer limit configuration.");
            }
        }
        if crate::server::ObufLimits::parse(value, Default::default()).is_none() {
            return Err(
                "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
            );
        }
    }
    Ok(())
}

fn config_resetstat(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let stats = &mut cx.server.stats;
    let n = stats.calls.len();
    *stats = crate::server::Stats {
        calls: vec![0; n],
        failed_calls: vec![0; n],
        rejected_calls: vec![0; n],
        ..Default::default()
    };
    for db in &mut cx.server.dbs {
        db.hits = 0;
        db.misses = 0;
        db.expired_keys = 0;
    }
    cx.out.ok();
    Ok(())
}

fn config_rewrite(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    if cx.server.config_file.is_empty() {
        return Err(CmdError::fixed(
            "ERR The server is running without a config file",
        ));
    }
    let mut text = String::new();
    for d in crate::config::DIRECTIVES {
        if let Some(v) = cx.server.config.get(d.name) {
            if v != d.default {
                let _ = writeln!(text, "{} \"{}\"", d.name, v.replace('"', "\\\""));
            }
        }
    }
    std::fs::write(&cx.server.config_file, text)
        .map_err(|e| CmdError::owned(format!("ERR Rewriting config file: {e}")))?;
    cx.out.ok();
    Ok(())
}

fn help_reply(out: &mut Reply, lines: &[&str]) {
    out.array(lines.len());
    for l in lines {
        out.simple(l);
    }
}

fn config_help(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    help_reply(
        cx.out,
        &[
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
            "HELP",
            "    Prints this help.",
        ],
    );
    Ok(())
}

fn debug(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mode = cx.server.config.text(D::enable_debug_command);
    let local = cx.client.addr.starts_with("127.") || cx.client.addr.starts_with("[::1]");
    if mode == "no" || (mode == "local" && !local) {
        return Err(CmdError::fixed("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."));
    }
    let sub = &args[1];
    let is = |w: &str| sub.eq_ignore_ascii_case(w.as_bytes());
    if is("SLEEP") && args.len() == 3 {
        let secs = super::args::float(&args[2])?;
        std::thread::sleep(std::time::Duration::from_secs_f64(secs.max(0.0)));
        cx.out.ok();
    } else if is("SET-ACTIVE-EXPIRE") && args.len() == 3 {
        cx.server.active_expire = super::args::int(&args[2])? != 0;
        cx.out.ok();
    } else if is("OBJECT") && args.len() == 3 {
        let (db, out) = cx.db_out();
        let Some(e) = db.entry(&args[2]) else {
            return Err(errors::NO_SUCH_KEY);
        };
        let idle = crate::db::clock::lru_clock().saturating_sub(e.lru);
        let text = format!(
            "Value at:0x{:x} refcount:1 encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
            e as *const _ as usize,
            e.value.encoding(),
            serialized_len(&e.value),
            e.lru & 0xff_ffff,
            idle
        );
        out.simple(&text);
    } else if is("CHANGE-REPL-ID") && args.len() == 2 {
        cx.server.run_id = crate::server::random_hex(40);
        cx.out.ok();
    } else if is("QUICKLIST-PACKED-THRESHOLD") && args.len() == 3 {
        crate::config::parse_memory(&String::from_utf8_lossy(&args[2]))
            .ok_or(CmdError::fixed("ERR argument must be a memory value"))?;
        cx.out.ok();
    } else if is("RELOAD") || is("JMAP") {
        cx.out.ok();
    } else if is("HELP") {
        help_reply(
            cx.out,
            &[
                "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CHANGE-REPL-ID",
                "    Change the replication IDs of the instance.",
                "OBJECT <key>",
                "    Show low level info about the key and associated value.",
                "QUICKLIST-PACKED-THRESHOLD <size>",
                "    Sets the threshold for elements to be inserted as plain vs packed nodes",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
            ],
        );
    } else {
        return Err(CmdError::owned(format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
            errors::truncate_lossy(sub, 128)
        )));
    }
    Ok(())
}

fn serialized_len(v: &crate::db::Value) -> usize {
    match v {
        crate::db::Value::Str(s) => s.len() + 1,
        other => 1 + 8 * other.encoding().len(),
    }
}
