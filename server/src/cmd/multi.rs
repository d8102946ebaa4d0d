//! Transactions: MULTI EXEC DISCARD WATCH UNWATCH. Key decision: queued commands are only checked
//! (existence, arity) when queued and run by `EXEC` through [`super::call`], one after the other on the
//! single thread, so nothing interleaves; `WATCH` relies on the keyspace hooks (`db::hooks`), which
//! mark a watcher dirty on every write, expiry, flush or swap of its key.

use super::errors::CmdError;
use super::table::Command;
use super::{CmdResult, Ctx};
use crate::net::client::ClientState;
use crate::server::Server;

/// The commands queued by a client in `MULTI`.
#[derive(Debug, Default)]
pub struct Queue {
    /// Queued commands, in order.
    pub commands: Vec<Vec<Vec<u8>>>,
    /// A command was rejected while queuing: `EXEC` fails with `EXECABORT`.
    pub error: bool,
}

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("transactions"; $($entry)*)
    };
}

/// The transaction commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("multi", 1, "noscript loading stale fast allow_busy", (0, 0, 0), "fast transaction", "1.2.0", "Mark the start of a transaction block", "O(1)", multi),
    cmd!("exec", 1, "noscript loading stale skip_slowlog", (0, 0, 0), "slow transaction", "1.2.0", "Execute all commands issued after MULTI", "Depends on commands in the transaction", exec),
    cmd!("discard", 1, "noscript loading stale fast allow_busy", (0, 0, 0), "fast transaction", "2.0.0", "Discard all commands issued after MULTI", "O(N), when N is the number of queued commands", discard),
    cmd!("watch", -2, "noscript loading stale fast allow_busy", (1, -1, 1), "fast transaction", "2.2.0", "Watch the given keys to determine execution of the MULTI/EXEC block", "O(1) for every key.", watch),
    cmd!("unwatch", 1, "noscript loading stale fast allow_busy", (0, 0, 0), "fast transaction", "2.2.0", "Forget about all watched keys", "O(1)", unwatch),
];

/// Commands that run at once inside `MULTI` instead of being queued.
pub fn runs_immediately(name: &str) -> bool {
    matches!(
        name,
        "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
    )
}

/// Marks the client's transaction as failed (a command was rejected while queuing).
pub fn flag_error(client: &mut ClientState) {
    if let Some(q) = client.multi.as_mut() {
        q.error = true;
    }
}

/// Queues a command inside `MULTI` and replies `+QUEUED`.
pub fn queue(cx: &mut Ctx, argv: &[Vec<u8>]) {
    if let Some(q) = cx.client.multi.as_mut() {
        q.commands.push(argv.to_vec());
    }
    cx.out.simple("QUEUED");
}

/// Drops every `WATCH` of `client`.
pub fn unwatch_all(server: &mut Server, client: &mut ClientState) {
    for (db, key) in client.watched.drain(..) {
        if let Some(d) = server.dbs.get_mut(db) {
            d.hooks.unwatch(&key, client.id);
        }
    }
}

fn multi(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    if cx.client.multi.is_some() {
        return Err(CmdError::fixed("ERR MULTI calls can not be nested"));
    }
    cx.client.multi = Some(Queue::default());
    cx.out.ok();
    Ok(())
}

/// True when a watched key was touched (or expired) since `WATCH`.
fn watch_broken(cx: &mut Ctx) -> bool {
    let id = cx.client.id;
    for (db, key) in &cx.client.watched {
        // A lookup deletes the key if it expired meanwhile, which marks the watch dirty.
        cx.server.dbs[*db].contains(key);
    }
    cx.client
        .watched
        .iter()
        .any(|(db, _)| cx.server.dbs[*db].hooks.is_dirty(id))
}

fn exec(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let Some(queue) = cx.client.multi.take() else {
        return Err(CmdError::fixed("ERR EXEC without MULTI"));
    };
    if queue.error {
        unwatch_all(cx.server, cx.client);
        return Err(CmdError::fixed(
            "EXECABORT Transaction discarded because of previous errors.",
        ));
    }
    let broken = watch_broken(cx);
    unwatch_all(cx.server, cx.client);
    if broken {
        cx.out.null_array();
        return Ok(());
    }
    let deny = std::mem::replace(&mut cx.client.deny_blocking, true);
    cx.out.array(queue.commands.len());
    for argv in &queue.commands {
        super::call(cx, argv);
    }
    cx.client.deny_blocking = deny;
    Ok(())
}

fn discard(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    if cx.client.multi.take().is_none() {
        return Err(CmdError::fixed("ERR DISCARD without MULTI"));
    }
    unwatch_all(cx.server, cx.client);
    cx.out.ok();
    Ok(())
}

fn watch(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if cx.client.multi.is_some() {
        return Err(CmdError::fixed("ERR WATCH inside MULTI is not allowed"));
    }
    let (id, dbi) = (cx.client.id, cx.client.db);
    for key in &args[1..] {
        if cx
            .client
            .watched
            .iter()
            .any(|(d, k)| *d == dbi && **k == **key)
        {
            continue;
        }
        let db = &mut cx.server.dbs[dbi];
        // Delete a key already expired first: its later removal is then no change for this watch.
        db.contains(key);
        db.hooks.watch(key, id);
        cx.client.watched.push((dbi, key.as_slice().into()));
    }
    cx.out.ok();
    Ok(())
}

fn unwatch(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    unwatch_all(cx.server, cx.client);
    cx.out.ok();
    Ok(())
}
