//! Blocking commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP) and the serving
//! of blocked clients. Key decisions: a command that finds nothing calls [`block`], which registers the
//! client (FIFO per key, see `crate::blocking`) and writes no reply; the event loop then stops reading
//! that client's pipeline. After every top-level command, [`serve_ready`] takes the written keys in
//! the order they were written and re-runs, restricted to that key, the command of each client
//! waiting on it, first blocked first, until the key runs dry — so pushes from plain commands, `EXEC`
//! and scripts all wake clients the same way, and `BLPOP a b` woken by a push to `b` pops `b` even
//! when `a` was filled later in the same transaction (Redis 7.0). Inside `EXEC`/scripts
//! (`deny_blocking`) the commands answer at once as on timeout.

use super::errors::{self, CmdError};
use super::list::{after_pop, move_element, node_limit, pop_reply};
use super::table::{table, Command};
use super::{args, CmdResult, Ctx};
use crate::blocking::{Blocked, WaitFor};
use crate::db::clock;
use crate::db::list::End;
use crate::db::Value;
use crate::net::client::ClientState;
use crate::server::Server;

macro_rules! cmd {
    ($name:literal, $arity:expr, $flags:literal, $keys:expr, $acl:literal, $group:literal, $($rest:tt)*) => {
        super::table::command!($group; $name, $arity, $flags, $keys, $acl, $($rest)*)
    };
}

/// The blocking list and sorted set commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("blpop", -3, "write noscript blocking", (1, -2, 1), "write list slow blocking", "list", "2.0.0", "Remove and get the first element in a list, or block until one is available", "O(N) where N is the number of provided keys.", blpop),
    cmd!("brpop", -3, "write noscript blocking", (1, -2, 1), "write list slow blocking", "list", "2.0.0", "Remove and get the last element in a list, or block until one is available", "O(N) where N is the number of provided keys.", brpop),
    cmd!("brpoplpush", 4, "write denyoom noscript blocking", (1, 2, 1), "write list slow blocking", "list", "2.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available", "O(1)", brpoplpush),
    cmd!("blmove", 6, "write denyoom noscript blocking", (1, 2, 1), "write list slow blocking", "list", "6.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available", "O(1)", blmove),
    cmd!("blmpop", -5, "write blocking movablekeys", (0, 0, 0), "write list slow blocking", "list", "7.0.0", "Pop elements from a list, or block until one is available", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", blmpop),
    cmd!("bzpopmin", -3, "write noscript blocking fast", (1, -2, 1), "write sortedset fast blocking", "sorted-set", "5.0.0", "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available", "O(log(N)) with N being the number of elements in the sorted set.", bzpopmin),
    cmd!("bzpopmax", -3, "write noscript blocking fast", (1, -2, 1), "write sortedset fast blocking", "sorted-set", "5.0.0", "Remove and return the member with the highest score from one or more sorted sets, or block until one is available", "O(log(N)) with N being the number of elements in the sorted set.", bzpopmax),
    cmd!("bzmpop", -5, "write blocking movablekeys", (0, 0, 0), "write sortedset slow blocking", "sorted-set", "7.0.0", "Remove and return members with scores in a sorted set or block until one is available", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", bzmpop),
];

/// Parses a timeout in (fractional) seconds into an absolute unix-ms deadline, 0 for "forever", with
/// Redis's errors (a value that overflows milliseconds is reported negative, as C's cast makes it).
fn deadline(arg: &[u8]) -> Result<i64, CmdError> {
    let secs = args::parse_f64(arg).ok_or(CmdError::fixed(
        "ERR timeout is not a float or out of range",
    ))?;
    let ms = secs * 1000.0;
    if !(ms > -9.3e18 && ms < 9.2e18) || ms <= -1.0 {
        return Err(CmdError::fixed("ERR timeout is negative"));
    }
    let ms = ms as i64;
    if ms == 0 {
        return Ok(0);
    }
    let now = clock::now_ms();
    if ms > i64::MAX - now {
        return Err(CmdError::fixed("ERR timeout is out of range"));
    }
    Ok(now + ms)
}

/// Blocks the client on `keys` (or, where blocking is denied, replies null at once: a null bulk
/// string for `BLMOVE`/`BRPOPLPUSH` when `null_bulk`, else a null array). During a retry of an
/// already blocked client this does nothing: the client stays where it waits.
fn block(
    cx: &mut Ctx,
    argv: &[Vec<u8>],
    keys: &[Vec<u8>],
    deadline_ms: i64,
    wait_for: WaitFor,
    null_bulk: bool,
) {
    if cx.client.deny_blocking {
        if null_bulk {
            cx.out.null();
        } else {
            cx.out.null_array();
        }
        return;
    }
    if cx.client.blocked.is_some() {
        return;
    }
    let b = Blocked {
        db: cx.client.db,
        keys: keys.iter().map(|k| k.as_slice().into()).collect(),
        argv: argv.to_vec(),
        deadline_ms,
        wait_for,
    };
    cx.server.blocking.add((cx.client.id, cx.client.slot), &b);
    for k in &b.keys {
        cx.server.dbs[b.db].hooks.block(k);
    }
    cx.client.blocked = Some(Box::new(b));
}

/// Forgets the blocked state of `client` (served, timed out, unblocked, disconnected).
pub fn unblock(server: &mut Server, client: &mut ClientState) {
    if let Some(b) = client.blocked.take() {
        server.blocking.remove((client.id, client.slot), &b);
        for k in &b.keys {
            server.dbs[b.db].hooks.unblock(k);
        }
    }
}

/// Ends the wait of blocked client `id` in `slot` with its timeout reply (or `error`), as a timeout or
/// `CLIENT UNBLOCK` does; false when it was not blocked.
pub fn end_wait(server: &mut Server, slot: usize, id: u64, error: Option<&str>) -> bool {
    let blocked = server
        .conn_mut(slot, id)
        .is_some_and(|c| c.state.blocked.is_some());
    if !blocked {
        return false;
    }
    let Some(mut conn) = server.clients[slot].take() else {
        return false;
    };
    match error {
        Some(e) => conn.reply.error(e),
        None => conn.reply.null_array(),
    }
    unblock(server, &mut conn.state);
    put_back(server, conn, slot);
    true
}

/// Returns a just unblocked connection to its slot and schedules its reply and pipeline.
fn put_back(server: &mut Server, conn: Box<crate::net::client::Conn>, slot: usize) {
    server.clients[slot] = Some(conn);
    server.pending_write.push(slot);
    server.unblocked.push(slot);
}

/// Replies to every blocked client whose deadline passed.
pub fn expire_timeouts(server: &mut Server) {
    let now = clock::now_ms();
    for (id, slot) in server.blocking.expired(now) {
        end_wait(server, slot, id, None);
    }
}

/// True when `key` of `db` holds the type `wait_for` expects.
fn holds(server: &mut Server, db: usize, key: &[u8], wait_for: WaitFor) -> bool {
    match server.dbs[db].get_mut(key) {
        Some(Value::List(_)) => wait_for == WaitFor::List,
        Some(Value::ZSet(_)) => wait_for == WaitFor::ZSet,
        _ => false,
    }
}

/// Serves the clients blocked on keys that were written, in the order they blocked, until no key is
/// ready (a served `BLMOVE` may make its destination ready in turn).
pub fn serve_ready(server: &mut Server) {
    while let Some(db) = server.dbs.iter().position(|d| !d.hooks.ready.is_empty()) {
        let keys = std::mem::take(&mut server.dbs[db].hooks.ready);
        for key in keys {
            for (id, slot) in server.blocking.waiters(db, &key) {
                let Some(wait_for) = server
                    .conn_mut(slot, id)
                    .and_then(|c| c.state.blocked.as_ref().map(|b| b.wait_for))
                else {
                    continue;
                };
                if !server.dbs[db].contains(&key) {
                    break;
                }
                if holds(server, db, &key, wait_for) {
                    retry(server, slot, &key);
                }
            }
        }
    }
}

/// Re-runs the command of the blocked client in `slot` on the ready `key` alone (Redis 7.0 serves a
/// client blocked on several keys from the key that became ready, not from its first non-empty key);
/// when it replies, the client is unblocked.
fn retry(server: &mut Server, slot: usize, key: &[u8]) {
    let Some(mut conn) = server.clients[slot].take() else {
        return;
    };
    let Some(argv) = conn.state.blocked.as_ref().map(|b| narrow(&b.argv, key)) else {
        server.clients[slot] = Some(conn);
        return;
    };
    let mark = conn.reply.len();
    let start = std::time::Instant::now();
    let entry = table().lookup(&argv[0]);
    if let Some(entry) = entry {
        let mut cx = Ctx {
            server,
            client: &mut conn.state,
            out: &mut conn.reply,
        };
        super::propagating(&mut cx, &argv, (entry.cmd.name, ""), |cx| {
            let result = (entry.cmd.handler)(cx, &argv);
            if let Err(e) = &result {
                cx.out.truncate(mark);
                super::write_error(cx.server, cx.out, e);
            }
            result.is_ok()
        });
        cx.server.propagation.flush();
    }
    if conn.reply.len() > mark {
        if let (Some(entry), Some(b)) = (entry, conn.state.blocked.as_ref()) {
            let micros = start.elapsed().as_micros() as u64;
            let ids = (entry.id, entry.cmd);
            super::latency::record_call(server, &conn.state, ids, &b.argv, micros);
        }
        unblock(server, &mut conn.state);
        put_back(server, conn, slot);
    } else {
        server.clients[slot] = Some(conn);
    }
}

/// The blocked command `argv` restricted to the one source key `key`: `BLPOP a b 0` becomes
/// `BLPOP b 0`, `BLMPOP 0 2 a b LEFT` becomes `BLMPOP 0 1 b LEFT`; single-key commands are unchanged.
fn narrow(argv: &[Vec<u8>], key: &[u8]) -> Vec<Vec<u8>> {
    let name = argv[0].to_ascii_lowercase();
    match name.as_slice() {
        b"blpop" | b"brpop" | b"bzpopmin" | b"bzpopmax" if argv.len() >= 3 => {
            vec![argv[0].clone(), key.to_vec(), argv[argv.len() - 1].clone()]
        }
        b"blmpop" | b"bzmpop" if argv.len() >= 4 => {
            let numkeys = args::int(&argv[2]).unwrap_or(0).max(0) as usize;
            let rest = numkeys.saturating_add(3).min(argv.len());
            let mut out = vec![
                argv[0].clone(),
                argv[1].clone(),
                b"1".to_vec(),
                key.to_vec(),
            ];
            out.extend_from_slice(&argv[rest..]);
            out
        }
        _ => argv.to_vec(),
    }
}

fn bpop(cx: &mut Ctx, args: &[Vec<u8>], end: End) -> CmdResult {
    let deadline_ms = deadline(&args[args.len() - 1])?;
    let keys = &args[1..args.len() - 1];
    let (db, out) = cx.db_out();
    for key in keys {
        let Some(v) = db.get_mut(key) else {
            continue;
        };
        let list = v.as_list_mut()?;
        out.array(2);
        out.bulk(key);
        let emptied = pop_reply(list, out, end, None);
        after_pop(db, key, end, emptied);
        let pop: &[u8] = if end == End::Head { b"LPOP" } else { b"RPOP" };
        cx.server.propagation.propagate_as(&[pop, key]);
        return Ok(());
    }
    block(cx, args, keys, deadline_ms, WaitFor::List, false);
    Ok(())
}

fn blpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bpop(cx, args, End::Head)
}

fn brpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bpop(cx, args, End::Tail)
}

fn end_arg(arg: &[u8]) -> Result<End, CmdError> {
    if args::is(arg, "LEFT") {
        Ok(End::Head)
    } else if args::is(arg, "RIGHT") {
        Ok(End::Tail)
    } else {
        Err(errors::SYNTAX)
    }
}

fn bmove(cx: &mut Ctx, args: &[Vec<u8>], ends: (End, End), timeout: &[u8]) -> CmdResult {
    let deadline_ms = deadline(timeout)?;
    let (src, dst) = (&args[1], &args[2]);
    let limit = node_limit(cx);
    let (db, out) = cx.db_out();
    match db.get_mut(src) {
        Some(v) => {
            v.as_list_mut()?;
            move_element(db, out, (src, dst), ends, limit)?;
            let prop = &mut cx.server.propagation;
            match args.len() {
                6 => prop.propagate_as(&[b"LMOVE", src, dst, &args[3], &args[4]]),
                _ => prop.propagate_as(&[b"RPOPLPUSH", src, dst]),
            }
            Ok(())
        }
        None => {
            block(cx, args, &args[1..2], deadline_ms, WaitFor::List, true);
            Ok(())
        }
    }
}

fn blmove(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let ends = (end_arg(&args[3])?, end_arg(&args[4])?);
    bmove(cx, args, ends, &args[5])
}

fn brpoplpush(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bmove(cx, args, (End::Tail, End::Head), &args[3])
}

/// BLMPOP/BZMPOP: runs LMPOP/ZMPOP on the arguments after the timeout; blocks when it finds nothing.
fn bmpop(cx: &mut Ctx, args: &[Vec<u8>], inner: &str, wait_for: WaitFor) -> CmdResult {
    let deadline_ms = deadline(&args[1])?;
    let mut argv = args[1..].to_vec();
    argv[0] = inner.as_bytes().to_vec();
    let Some(entry) = table().lookup(inner.as_bytes()) else {
        return Err(errors::unknown_command(&argv));
    };
    let mark = cx.out.len();
    (entry.cmd.handler)(cx, &argv)?;
    let nothing: &[u8] = if cx.out.resp3 { b"_\r\n" } else { b"*-1\r\n" };
    if cx.out.buf[mark..] == *nothing && !cx.client.deny_blocking {
        cx.out.truncate(mark);
        let numkeys = args::int(&args[2]).unwrap_or(0).max(0) as usize;
        let keys = &args[3..numkeys.saturating_add(3).min(args.len())];
        block(cx, args, keys, deadline_ms, wait_for, false);
    }
    Ok(())
}

fn blmpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bmpop(cx, args, "lmpop", WaitFor::List)
}

fn bzmpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bmpop(cx, args, "zmpop", WaitFor::ZSet)
}

fn bzpop(cx: &mut Ctx, args: &[Vec<u8>], max: bool) -> CmdResult {
    let deadline_ms = deadline(&args[args.len() - 1])?;
    let keys = &args[1..args.len() - 1];
    let (db, out) = cx.db_out();
    for key in keys {
        let Some(v) = db.get_mut(key) else {
            continue;
        };
        v.as_zset_mut()?;
        let popped = super::zset::pop_from(db, key, max, 1);
        let Some((member, score)) = popped.first() else {
            continue;
        };
        out.array(3);
        out.bulk(key);
        out.bulk(member);
        out.double(*score);
        let pop: &[u8] = if max { b"ZPOPMAX" } else { b"ZPOPMIN" };
        cx.server.propagation.propagate_as(&[pop, key]);
        return Ok(());
    }
    block(cx, args, keys, deadline_ms, WaitFor::ZSet, false);
    Ok(())
}

fn bzpopmin(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bzpop(cx, args, false)
}

fn bzpopmax(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bzpop(cx, args, true)
}
