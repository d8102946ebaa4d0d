//! MONITOR: clients that receive every executed command as `+<unix secs>.<micros> [<db> <addr>] "arg"
//! ...`, in Redis's quoting. Key decision: the line is built once per command and copied to each
//! monitor; admin commands are not shown (dispatch skips them); a command is shown after it ran,
//! except `skip_monitor` ones (`EVAL`, `FCALL`...), shown before so their scripts' commands (`[0
//! lua]`) follow them, as in Redis 7.0.

use super::errors::CmdError;
use super::table::Command;
use super::{CmdResult, Ctx};
use crate::db::clock;

/// The MONITOR command.
pub static COMMANDS: &[Command] = &[Command {
    name: "monitor",
    arity: 1,
    flags: "admin noscript loading stale",
    acl: "admin slow dangerous",
    group: "server",
    since: "1.0.0",
    summary: "Listen for all requests received by the server in real time",
    complexity: "",
    handler: monitor,
    ..Command::DEFAULT
}];

fn monitor(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    if cx.client.deny_blocking {
        return Err(CmdError::fixed(
            "ERR MONITOR isn't allowed for DENY BLOCKING client",
        ));
    }
    if cx.client.monitor {
        return Ok(());
    }
    cx.client.monitor = true;
    cx.server.monitors.push((cx.client.id, cx.client.slot));
    cx.out.ok();
    Ok(())
}

/// Appends `arg` quoted like Redis's `sdscatrepr`.
pub fn push_repr(line: &mut Vec<u8>, arg: &[u8]) {
    line.push(b'"');
    for &b in arg {
        match b {
            b'\\' | b'"' => line.extend_from_slice(&[b'\\', b]),
            b'\n' => line.extend_from_slice(b"\\n"),
            b'\r' => line.extend_from_slice(b"\\r"),
            b'\t' => line.extend_from_slice(b"\\t"),
            7 => line.extend_from_slice(b"\\a"),
            8 => line.extend_from_slice(b"\\b"),
            0x20..=0x7e => line.push(b),
            _ => line.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    line.push(b'"');
}

/// Sends the command `argv` run by the current client to every monitor, with the client's
/// database as it is now (after the command, so `SELECT 3` shows db 3) and its address, or `lua`
/// for a script's `redis.call`.
pub fn feed(cx: &mut Ctx, argv: &[Vec<u8>]) {
    let us = clock::system_us();
    let who = if cx.client.script {
        "lua"
    } else {
        &cx.client.addr
    };
    let mut line = format!(
        "+{}.{:06} [{} {who}]",
        us / 1_000_000,
        us % 1_000_000,
        cx.client.db
    )
    .into_bytes();
    for a in argv {
        line.push(b' ');
        push_repr(&mut line, a);
    }
    line.extend_from_slice(b"\r\n");
    for (id, slot) in cx.server.monitors.clone() {
        super::send_to(cx, slot, id, |out| out.raw(&line));
    }
}
