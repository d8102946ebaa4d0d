//! Server commands: COMMAND (COUNT INFO DOCS GETKEYS LIST), DBSIZE, FLUSHDB/FLUSHALL, INFO, CONFIG,
//! TIME, LASTSAVE, SHUTDOWN, DEBUG.

use super::docs;
use super::errors::{self, CmdError};
use super::table::{table, Command};
use super::{CmdResult, Ctx};
use crate::config::D;
use std::fmt::Write as _;

macro_rules! srv {
    ($name:literal, $arity:expr, $flags:literal, $($rest:tt)*) => {
        super::table::command!("server"; $name, $arity, $flags, (0, 0, 0), $($rest)*)
    };
}

/// The server commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    Command { name: "command", arity: -1, flags: "loading stale", acl: "slow connection", group: "server", since: "2.8.13", summary: "Get array of Redis command details", complexity: "O(N) where N is the total number of Redis commands", handler: command, subcommands: COMMAND_SUBCOMMANDS, ..Command::DEFAULT },
    srv!("dbsize", 1, "readonly fast", "keyspace read fast", "1.0.0", "Return the number of keys in the selected database", "O(1)", dbsize),
    srv!("info", -1, "loading stale", "slow dangerous", "1.0.0", "Get information and statistics about the server", "O(1)", super::info::info),
    srv!("time", 1, "loading stale fast", "fast", "2.6.0", "Return the current server time", "O(1)", time),
    srv!("lastsave", 1, "loading stale fast", "admin fast dangerous", "1.0.0", "Get the UNIX time stamp of the last successful save to disk", "O(1)", lastsave),
    srv!("shutdown", -1, "admin noscript loading stale no_multi allow_busy", "admin slow dangerous", "1.0.0", "Synchronously save the dataset to disk and then shut down the server", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)", shutdown),
    Command { name: "config", arity: -2, acl: "slow", group: "server", since: "2.0.0", summary: "A container for server configuration commands", complexity: "Depends on subcommand.", subcommands: CONFIG_SUBCOMMANDS, ..Command::DEFAULT },
    srv!("debug", -2, "admin noscript loading stale", "admin slow dangerous", "1.0.0", "A container for debugging commands", "Depends on subcommand.", super::debug::debug),
];

#[rustfmt::skip]
static COMMAND_SUBCOMMANDS: &[Command] = &[
    srv!("count", 2, "loading stale", "slow connection", "2.8.13", "Get total number of Redis commands", "O(1)", command_count),
    srv!("docs", -2, "loading stale", "slow connection", "7.0.0", "Get array of specific Redis command documentation", "O(N) where N is the number of commands to look up", command_docs),
    srv!("getkeys", -4, "loading stale", "slow connection", "2.8.13", "Extract keys given a full Redis command", "O(N) where N is the number of arguments to the command", command_getkeys),
    srv!("getkeysandflags", -4, "loading stale", "slow connection", "7.0.0", "Extract keys and access flags given a full Redis command", "O(N) where N is the number of arguments to the command", command_getkeysandflags),
    srv!("info", -2, "loading stale", "slow connection", "2.8.13", "Get array of specific Redis command details, or all when no argument is given.", "O(N) where N is the number of commands to look up", command_info),
    srv!("list", -2, "loading stale", "slow connection", "7.0.0", "Get an array of Redis command names", "O(N) where N is the total number of Redis commands", command_list),
    srv!("help", 2, "loading stale", "slow connection", "5.0.0", "Show helpful text about the different subcommands", "O(1)", command_help),
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

fn command(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let t = table();
    cx.out.array(t.order.len());
    for c in &t.order {
        docs::write_info(cx.out, c, None);
    }
    Ok(())
}

fn command_count(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.int(table().len() as i64);
    Ok(())
}

fn command_info(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args.len() == 2 {
        return command(cx, args);
    }
    cx.out.array(args.len() - 2);
    for name in &args[2..] {
        match docs::resolve(name) {
            Some((top, sub)) => docs::write_info(cx.out, top, sub),
            None => cx.out.null(),
        }
    }
    Ok(())
}

/// `COMMAND LIST [FILTERBY MODULE name|ACLCAT category|PATTERN glob]`: command and subcommand names
/// (`config|get`), as Redis 7.0 lists them.
fn command_list(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let filter = match &args[2..] {
        [] => None,
        [f, kind, value] if f.eq_ignore_ascii_case(b"FILTERBY") => Some((kind, value)),
        _ => return Err(errors::SYNTAX),
    };
    let keep = |c: &Command, full: &str| match filter {
        None => true,
        Some((kind, v)) if kind.eq_ignore_ascii_case(b"ACLCAT") => c
            .acl
            .split_ascii_whitespace()
            .any(|a| a.as_bytes().eq_ignore_ascii_case(v)),
        Some((kind, v)) if kind.eq_ignore_ascii_case(b"PATTERN") => {
            crate::db::glob::glob_match(v, full.as_bytes(), true)
        }
        Some(_) => false,
    };
    let mut names = Vec::new();
    for c in &table().order {
        if keep(c, c.name) {
            names.push(c.name.to_string());
        }
        for s in c.subcommands {
            let full = format!("{}|{}", c.name, s.name);
            if keep(s, &full) {
                names.push(full);
            }
        }
    }
    cx.out.array(names.len());
    for n in names {
        cx.out.bulk(n.as_bytes());
    }
    Ok(())
}

fn command_docs(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let names = &args[2..];
    let found: Vec<(&Command, Option<&Command>)> = if names.is_empty() {
        table().order.iter().map(|c| (*c, None)).collect()
    } else {
        names.iter().filter_map(|n| docs::resolve(n)).collect()
    };
    cx.out.map(found.len());
    for (top, sub) in found {
        match sub {
            Some(s) => cx.out.bulk(format!("{}|{}", top.name, s.name).as_bytes()),
            None => cx.out.bulk(top.name.as_bytes()),
        }
        docs::write_docs(cx.out, top, sub);
    }
    Ok(())
}

/// The keys of the call in `args[2..]` (`COMMAND GETKEYS`/`GETKEYSANDFLAGS`), with Redis's errors.
fn call_keys(args: &[Vec<u8>]) -> Result<Vec<docs::KeyRef>, CmdError> {
    let call = &args[2..];
    let invalid_cmd = CmdError::fixed("ERR Invalid command specified");
    let top = table().lookup(&call[0]).ok_or(invalid_cmd.clone())?.cmd;
    let sub = match (top.subcommands.is_empty(), call.get(1)) {
        (false, Some(name)) => Some(top.subcommand(name).ok_or(invalid_cmd)?),
        _ => None,
    };
    let cmd = sub.unwrap_or(top);
    let no_keys = CmdError::fixed("ERR The command has no key arguments");
    if matches!(
        docs::get_keys(top, sub, &[]),
        Err(docs::GetKeysError::NoKeys)
    ) {
        return Err(no_keys);
    }
    if !cmd.arity_ok(call.len()) {
        return Err(CmdError::fixed(
            "ERR Invalid number of arguments specified for command",
        ));
    }
    let optional = cmd.flags.contains("no_mandatory_keys");
    let invalid = CmdError::fixed("ERR Invalid arguments specified for command");
    match docs::get_keys(top, sub, call) {
        Ok(keys) if keys.is_empty() && !optional => Err(invalid),
        Ok(keys) => Ok(keys),
        Err(docs::GetKeysError::NoKeys) => Err(no_keys),
        Err(docs::GetKeysError::Invalid) if optional => Ok(Vec::new()),
        Err(docs::GetKeysError::Invalid) => Err(invalid),
    }
}

fn command_getkeys(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let keys = call_keys(args)?;
    cx.out.array(keys.len());
    for k in keys {
        cx.out.bulk(&args[2 + k.pos]);
    }
    Ok(())
}

fn command_getkeysandflags(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let keys = call_keys(args)?;
    cx.out.array(keys.len());
    for k in keys {
        cx.out.array(2);
        cx.out.bulk(&args[2 + k.pos]);
        cx.out.set(k.flags.len());
        for f in k.flags.iter().filter_map(docs::Node::bytes) {
            cx.out.simple(&String::from_utf8_lossy(f));
        }
    }
    Ok(())
}

fn command_help(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.simple_lines(&[
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    ]);
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
    if name.eq_ignore_ascii_case("latency-tracking-info-percentiles") {
        super::latency::parse_percentiles(value)?;
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
    crate::alloc::reset_peak();
    let stats = &mut cx.server.stats;
    let n = stats.calls.len();
    *stats = crate::server::Stats {
        calls: vec![0; n],
        failed_calls: vec![0; n],
        rejected_calls: vec![0; n],
        usec: vec![0; n],
        ..Default::default()
    };
    super::latency::reset_histograms(cx.server);
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

fn config_help(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.simple_lines(&[
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
    ]);
    Ok(())
}
