//! Server commands: COMMAND (COUNT INFO DOCS GETKEYS LIST), DBSIZE, FLUSHDB/FLUSHALL, INFO, CONFIG,
//! TIME, LASTSAVE, SHUTDOWN, DEBUG.

use super::errors::{self, CmdError};
use super::table::{table, Command};
use super::{CmdResult, Ctx};
use crate::resp::Reply;

/// The server commands.
pub static COMMANDS: &[Command] = &[
    Command {
        name: "command",
        arity: -1,
        flags: "loading stale sentinel",
        acl: "slow connection",
        group: "server",
        since: "2.8.13",
        summary: "Get array of Redis command details",
        complexity: "O(N) where N is the total number of Redis commands",
        handler: command,
        ..Command::DEFAULT
    },
    Command {
        name: "dbsize",
        arity: 1,
        flags: "readonly fast",
        acl: "keyspace read fast",
        group: "server",
        summary: "Return the number of keys in the selected database",
        handler: dbsize,
        ..Command::DEFAULT
    },
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
