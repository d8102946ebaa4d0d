//! `CLIENT PAUSE timeout [WRITE|ALL]` and `CLIENT UNPAUSE`. Key decisions: a paused client's command
//! is held, not rejected: [`postpone`] marks the client (`ClientState::postponed`) and leaves the
//! parsed command in the connection's argument buffer, so the event loop simply stops parsing that
//! client (its later input stays in the query buffer). When the pause ends (timer checked after each
//! batch of events by [`check_end`], or `CLIENT UNPAUSE`), the held clients are queued on
//! `Server::unblocked` in the order they were held, and the event loop re-runs each held command
//! then the rest of its pipeline. As in Redis 7.0: `ALL` holds every command (even `CLIENT UNPAUSE`),
//! `WRITE` holds commands that write or may replicate (`EVAL`, `EVALSHA`, `FCALL`, `PUBLISH`,
//! `SPUBLISH`, `PFCOUNT`; inside `MULTI` too, and `EXEC` of a transaction holding one); a second
//! pause keeps the stronger mode and the later end; lazy and active expiry stop while paused (an
//! expired key reads as missing but stays stored).

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::db::clock;
use crate::net::client::ClientState;
use crate::server::Server;

/// What a pause holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// Not paused.
    #[default]
    Off,
    /// Commands that may write or replicate are held.
    Write,
    /// Every command is held.
    All,
}

/// The current pause and the clients it holds.
#[derive(Debug, Default)]
pub struct Pause {
    /// What is held.
    pub mode: Mode,
    /// Unix ms at which the pause ends.
    pub end_ms: i64,
    /// Held clients (id, slot), in the order they were held.
    held: Vec<(u64, usize)>,
}

impl Pause {
    /// True while some pause is in force.
    pub fn active(&self) -> bool {
        self.mode != Mode::Off
    }
}

/// True when `cmd` writes or may replicate (held in a `WRITE` pause).
fn may_replicate(cmd: &Command) -> bool {
    use super::table::flag;
    cmd.flag_bits() & (flag::WRITE | flag::MAY_REPLICATE) != 0
}

/// True when the queued transaction of `client` holds a command that writes or may replicate.
fn queue_may_replicate(client: &ClientState) -> bool {
    let Some(q) = &client.multi else {
        return false;
    };
    q.commands.iter().any(|argv| {
        super::table::table()
            .lookup(&argv[0])
            .is_some_and(|e| may_replicate(e.cmd))
    })
}

/// True when the pause in force holds `cmd` (its table entry `entry`) sent by `client`.
pub fn holds(server: &Server, client: &ClientState, entry: &Command, cmd: &Command) -> bool {
    match server.pause.mode {
        Mode::Off => false,
        Mode::All => true,
        Mode::Write if entry.name == "exec" => queue_may_replicate(client),
        Mode::Write => may_replicate(entry) || may_replicate(cmd),
    }
}

/// Holds the client's command until the pause ends (it stays parsed in the connection).
pub fn postpone(cx: &mut Ctx, entry: &'static Command, sub: &'static str) {
    cx.client.last_cmd = entry.name;
    cx.client.last_sub = sub;
    cx.client.postponed = true;
    cx.server.pause.held.push((cx.client.id, cx.client.slot));
}

/// `CLIENT PAUSE timeout [WRITE|ALL]`.
pub fn client_pause(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if argv.len() > 4 {
        return Err(errors::subcommand_syntax(&argv[1], "CLIENT"));
    }
    let timeout = args::int_or(
        &argv[2],
        CmdError::fixed("ERR timeout is not an integer or out of range"),
    )?;
    if timeout < 0 {
        return Err(CmdError::fixed("ERR timeout is negative"));
    }
    let mode = match argv.get(3) {
        None => Mode::All,
        Some(m) if args::is(m, "WRITE") => Mode::Write,
        Some(m) if args::is(m, "ALL") => Mode::All,
        Some(_) => {
            return Err(CmdError::fixed(
                "ERR CLIENT PAUSE mode must be WRITE or ALL",
            ))
        }
    };
    let end = if timeout > 0 {
        clock::now_ms().wrapping_add(timeout)
    } else {
        0
    };
    let p = &mut cx.server.pause;
    p.end_ms = if p.active() { p.end_ms.max(end) } else { end };
    p.mode = p.mode.max(mode);
    set_expiry_paused(cx.server, true);
    cx.out.ok();
    Ok(())
}

/// `CLIENT UNPAUSE`.
pub fn client_unpause(cx: &mut Ctx, _argv: &[Vec<u8>]) -> CmdResult {
    unpause(cx.server);
    cx.out.ok();
    Ok(())
}

/// Ends the pause: held clients are queued for the event loop to resume, in the order held.
fn unpause(server: &mut Server) {
    server.pause.mode = Mode::Off;
    server.pause.end_ms = 0;
    set_expiry_paused(server, false);
    let held = std::mem::take(&mut server.pause.held);
    server
        .unblocked
        .extend(held.into_iter().map(|(_, slot)| slot));
}

fn set_expiry_paused(server: &mut Server, paused: bool) {
    for db in &mut server.dbs {
        db.expiry_paused = paused;
    }
}

/// Ends the pause when its time has come (called by the event loop after each batch of events).
pub fn check_end(server: &mut Server) {
    if server.pause.active() && clock::now_ms() >= server.pause.end_ms {
        unpause(server);
    }
}

/// Milliseconds until the pause ends, for the event loop's poll timeout.
pub fn time_left(server: &Server) -> Option<i64> {
    server
        .pause
        .active()
        .then(|| (server.pause.end_ms - clock::now_ms()).max(0))
}

/// Forgets a closing client that was held.
pub fn forget(server: &mut Server, client: &ClientState) {
    if client.postponed {
        server.pause.held.retain(|h| h.0 != client.id);
    }
}

/// Number of held clients (counted in `INFO clients` blocked_clients, like Redis).
pub fn held_count(server: &Server) -> usize {
    server.pause.held.len()
}
