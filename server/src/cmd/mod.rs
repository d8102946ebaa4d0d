//! Commands: the dispatcher ([`execute`]), the context handlers receive ([`Ctx`]), and one module per
//! command family, each exporting a `COMMANDS` table that [`FAMILIES`] lists.
//!
//! # Entry points
//! - [`execute`]: a command read from a connection (queues inside MULTI, RESP2 pub/sub context,
//!   CLIENT REPLY), then [`after_command`].
//! - [`call`]: run one command for `cx.client` with one reply (then client-side caching invalidates
//!   what it wrote and remembers what it read) — used by EXEC, and the entry for
//!   scripts (set `cx.client.deny_blocking` so blocking commands answer at once; call
//!   [`after_command`] once the script is done to wake blocked clients and publish events).
//! - [`send_to`]: output to another client (or the running one) outside its own command.
//! - [`propagating`]: every command run by [`call`]/[`execute`] (and every served blocked client)
//!   is one call of the propagation layer (`crate::propagate`); [`execute`] ends the execution
//!   unit, so a script's or EXEC's writes reach the AOF/replica stream together.
//!
//! # Adding a command family
//! 1. Create `cmd/<family>.rs` with `//!` header and a table:
//!    ```text
//!    use super::table::Command;
//!    use super::{args, errors, Ctx, CmdResult};
//!
//!    /// The list commands.
//!    pub static COMMANDS: &[Command] = &[
//!        Command { name: "llen", arity: 2, flags: "readonly fast", first_key: 1, last_key: 1, step: 1,
//!                  acl: "read list fast", group: "list", since: "1.0.0",
//!                  summary: "Get the length of a list", complexity: "O(1)", handler: llen,
//!                  ..Command::DEFAULT },
//!    ];
//!    ```
//!    Arity, flags, key positions, ACL categories, group/since/summary/complexity: copy Redis 7.0's
//!    (`redis-cli COMMAND INFO llen`, `COMMAND DOCS llen`). Register the module below and in
//!    [`FAMILIES`] (the list, hash, set and zset families are already registered with empty tables).
//! 2. Write handlers `fn llen(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult`. `args[0]` is the command
//!    name; arity was already checked. Parse every argument first with [`args`] (`args::int`,
//!    `args::float`, `args::is(arg, "WITHSCORES")`, `args::range`), returning `Err(errors::SYNTAX)` etc.
//!    An `Err` is written as the error reply (any partial reply is discarded).
//! 3. Reach the keyspace with `cx.db()` or, when you also need to reply while holding a borrow of the
//!    database, `let (db, out) = cx.db_out();`. `db.get(key)` (read: counts hits/misses, lazy expiry),
//!    `db.get_mut(key)`, `db.get_or_insert_with(key, || Value::List(Box::default()))`, `db.remove(key)`,
//!    `db.remove_if_empty(key)` after deleting elements, and `db.signal_modified(key)` after every
//!    write (this is what WATCH, blocked clients and tracking see), plus one
//!    `db.notify(class::LIST, "lpush", key)` line where Redis raises a keyspace event (`del` for an
//!    emptied key is raised by `remove_if_empty`). Type checks: `value.as_list()?` / `as_list_mut()?` return WRONGTYPE through `?`.
//! 4. Reply through `cx.out` ([`Reply`]): `ok()`, `int(n)`, `bulk(b)`, `null()`, `null_array()`,
//!    `array(n)` then n elements, `map(n)` then n key/value pairs, `set(n)`, `double(f)`,
//!    `boolean(b)`. The writer encodes RESP2/RESP3 per client.
//! 5. Test: `server/tests/<family>.rs` using `common::Server::start()` (redis crate connection and raw
//!    RESP helpers), and a differential script `tests/redis/<family>.txt` compared byte for byte with
//!    redis-server by `server/tests/differential.rs`.

pub mod args;
pub mod bits;
pub mod blocking;
pub mod connection;
pub mod debug;
pub mod docs;
pub mod errors;
pub mod hash;
pub mod info;
pub mod keys;
pub mod latency;
pub mod latency_report;
pub mod list;
pub mod memory;
pub mod monitor;
pub mod multi;
pub mod notify;
pub mod pause;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod set;
pub mod slowlog;
pub mod sort;
pub mod string;
pub mod table;
pub mod tracking;
pub mod zset;

use crate::db::Db;
use crate::net::client::ClientState;
use crate::resp::Reply;
use crate::server::Server;
pub use errors::{CmdError, CmdResult};
use table::table;

/// Every family's command table, in `COMMAND` order.
pub static FAMILIES: &[&[table::Command]] = &[
    connection::COMMANDS,
    server::COMMANDS,
    keys::COMMANDS,
    string::COMMANDS,
    list::COMMANDS,
    hash::COMMANDS,
    set::COMMANDS,
    zset::COMMANDS,
    sort::COMMANDS,
    multi::COMMANDS,
    pubsub::COMMANDS,
    blocking::COMMANDS,
    monitor::COMMANDS,
    scripting::COMMANDS,
    slowlog::COMMANDS,
    latency::COMMANDS,
    memory::COMMANDS,
];

/// What a handler works with: the server, the calling client's state, and its reply buffer.
pub struct Ctx<'a> {
    /// Databases, config, stats, other clients.
    pub server: &'a mut Server,
    /// The calling client.
    pub client: &'a mut ClientState,
    /// The calling client's reply buffer.
    pub out: &'a mut Reply,
}

impl Ctx<'_> {
    /// The client's selected database.
    pub fn db(&mut self) -> &mut Db {
        &mut self.server.dbs[self.client.db]
    }

    /// The selected database and the reply buffer, borrowed together.
    pub fn db_out(&mut self) -> (&mut Db, &mut Reply) {
        (&mut self.server.dbs[self.client.db], self.out)
    }
}

/// A command resolved from its arguments: the table entry and the (sub)command to run.
pub struct Resolved {
    /// The top-level command's entry.
    pub entry: &'static table::Entry,
    /// The command or subcommand to run.
    pub cmd: &'static table::Command,
    /// The subcommand's name (empty for a plain command).
    pub sub: &'static str,
    /// Flag bits of `cmd` ([`table::Command::flag_bits`], computed once per command entry).
    pub bits: u32,
}

/// Finds the command for `argv` and checks arity, subcommand and authentication; on failure returns the
/// stats slot (when known) and the error to reply.
fn resolve(client: &ClientState, argv: &[Vec<u8>]) -> Result<Resolved, (Option<usize>, CmdError)> {
    let Some(entry) = table().lookup(&argv[0]) else {
        return Err((None, errors::unknown_command(argv)));
    };
    let id = entry.id;
    let mut cmd = entry.cmd;
    if !cmd.arity_ok(argv.len()) {
        return Err((Some(id), errors::wrong_arity(cmd.name)));
    }
    let (mut sub, mut bits) = ("", entry.bits);
    if !cmd.subcommands.is_empty() && argv.len() >= 2 {
        let Some(s) = cmd.subcommand(&argv[1]) else {
            return Err((Some(id), errors::unknown_subcommand(&argv[1], cmd.name)));
        };
        if !s.arity_ok(argv.len()) {
            let full = format!("{}|{}", cmd.name, s.name);
            return Err((Some(id), errors::wrong_arity(&full)));
        }
        (sub, bits) = (s.name, s.flag_bits());
        cmd = s;
    }
    if !client.authenticated && (entry.bits | bits) & table::flag::NO_AUTH == 0 {
        return Err((Some(id), errors::NOAUTH));
    }
    Ok(Resolved {
        entry,
        cmd,
        sub,
        bits,
    })
}

/// Runs one command read from a client connection: the top-level entry used by the event loop. On top
/// of [`call`] it queues commands inside `MULTI`, enforces the RESP2 pub/sub context, applies
/// `CLIENT REPLY`, holds commands during `CLIENT PAUSE` (see [`pause`]), and afterwards runs
/// [`after_command`] (wakes blocked clients, publishes keyspace events).
pub fn execute(server: &mut Server, client: &mut ClientState, out: &mut Reply, argv: &[Vec<u8>]) {
    let outer = tracking::enter(server, client.id);
    let mut cx = Ctx {
        server,
        client,
        out,
    };
    if cx.server.tracking.in_use() {
        tracking::before_command(&mut cx);
    }
    let mark = cx.out.len();
    let resolved = resolve(cx.client, argv);
    let names = match &resolved {
        Ok(r) => (r.entry.cmd.name, r.sub),
        Err(_) => looked_up(argv),
    };
    (cx.client.last_cmd, cx.client.last_sub) = names;
    if let Ok(r) = &resolved {
        if pause::holds(cx.server, cx.client, r.entry.cmd, r.cmd)
            && busy_rejection(cx.server, r.cmd).is_none()
            && pubsub::check_context(&cx, r.entry.cmd.name, r.sub).is_ok()
        {
            pause::postpone(&mut cx, r.entry.cmd, r.sub);
            tracking::leave(cx.server, outer);
            return;
        }
    }
    match resolved {
        Err((id, e)) => {
            multi::flag_error(cx.client);
            reject(cx.server, cx.out, id, e);
        }
        Ok(r) if busy_rejection(cx.server, r.cmd).is_some() => {
            let e = busy_rejection(cx.server, r.cmd).unwrap_or(errors::SYNTAX);
            reject(cx.server, cx.out, Some(r.entry.id), e);
        }
        Ok(r) if cx.client.multi.is_some() && !multi::runs_immediately(r.entry.cmd.name) => {
            multi::queue(&mut cx, argv);
        }
        Ok(r) => match pubsub::check_context(&cx, r.entry.cmd.name, r.sub) {
            Err(e) => {
                multi::flag_error(cx.client);
                reject(cx.server, cx.out, Some(r.entry.id), e);
            }
            Ok(()) => invoke(&mut cx, &r, argv),
        },
    }
    (cx.client.last_cmd, cx.client.last_sub) = names;
    connection::apply_reply_mode(&mut cx, mark);
    cx.server.propagation.flush();
    after_command(&mut cx);
    if cx.server.tracking.in_use() || !cx.server.tracking.pending.is_empty() {
        tracking::command_done(&mut cx, argv);
    }
    tracking::leave(cx.server, outer);
}

/// The names `CLIENT LIST` shows as `cmd=` for a command that failed to resolve: the command (and
/// subcommand) when found despite an arity or auth error, `NULL` when unknown, as Redis records its
/// lookup before any check.
fn looked_up(argv: &[Vec<u8>]) -> (&'static str, &'static str) {
    let Some(entry) = table().lookup(&argv[0]) else {
        return ("NULL", "");
    };
    let cmd = entry.cmd;
    if cmd.subcommands.is_empty() || argv.len() < 2 {
        return (cmd.name, "");
    }
    match cmd.subcommand(&argv[1]) {
        Some(s) => (cmd.name, s.name),
        None => ("NULL", ""),
    }
}

/// While a script runs past its time limit, the `BUSY` error for every command that is not allowed
/// then (`SCRIPT KILL`, `SHUTDOWN NOSAVE`...: the `allow_busy` flag).
fn busy_rejection(server: &Server, cmd: &table::Command) -> Option<CmdError> {
    let busy = server.scripting.busy_error()?;
    let allowed = cmd
        .flags
        .split_ascii_whitespace()
        .any(|f| f == "allow_busy");
    (!allowed).then(|| CmdError::fixed(busy))
}

/// Runs one command on behalf of `cx.client` and writes exactly one reply: lookup, arity and auth
/// checks, the handler, statistics, the `MONITOR` feed. The entry for commands run by `EXEC` and by
/// scripts (no `MULTI` queueing here, and blocked clients are served later by [`after_command`]).
pub fn call(cx: &mut Ctx, argv: &[Vec<u8>]) {
    match resolve(cx.client, argv) {
        Err((id, e)) => reject(cx.server, cx.out, id, e),
        Ok(r) => invoke(cx, &r, argv),
    }
}

/// Runs a command already resolved (and checked) by the caller: what [`call`] does after
/// [`resolve`]. Scripts use it, having resolved the command for their own checks.
pub fn invoke(cx: &mut Ctx, r: &Resolved, argv: &[Vec<u8>]) {
    let id = r.entry.id;
    cx.client.last_cmd = r.entry.cmd.name;
    cx.client.last_sub = r.sub;
    cx.server.stats.commands_processed += 1;
    cx.server.stats.calls[id] += 1;
    let mark = cx.out.len();
    let bits = r.bits;
    if bits & table::flag::SKIP_MONITOR != 0 && !cx.server.monitors.is_empty() {
        monitor::feed(cx, argv);
    }
    let was_blocked = cx.client.blocked.is_some();
    let start = std::time::Instant::now();
    propagating(cx, argv, (r.entry.cmd.name, r.sub), |cx| {
        let result = (r.cmd.handler)(cx, argv);
        if let Err(e) = &result {
            cx.out.truncate(mark);
            cx.server.stats.failed_calls[id] += 1;
            write_error(cx.server, cx.out, e);
        }
        result.is_ok()
    });
    if was_blocked || cx.client.blocked.is_none() {
        let micros = start.elapsed().as_micros() as u64;
        latency::record_call(cx.server, cx.client, (id, r.cmd), argv, micros);
    }
    if cx.server.tracking.in_use() {
        tracking::after_call(cx, r.entry.cmd, r.cmd, argv, mark);
    }
    let unmonitored = table::flag::ADMIN | table::flag::SKIP_MONITOR;
    if !cx.server.monitors.is_empty() && bits & unmonitored == 0 {
        monitor::feed(cx, argv);
    }
}

/// Runs `run` (the handler of command `names` = (name, subcommand), arguments `argv`; it returns
/// whether the command succeeded) as one call of the propagation layer: its effects — the command
/// itself when it changed the dataset or always propagates, keys found expired — are appended to
/// the running execution unit. With no consumer of the stream this only keeps the nesting.
pub fn propagating(
    cx: &mut Ctx,
    argv: &[Vec<u8>],
    names: (&str, &str),
    run: impl FnOnce(&mut Ctx) -> bool,
) {
    let dirty = dirty_count(cx.server);
    if dirty.is_some() {
        crate::propagate::collect_expired(cx.server);
    }
    let outer = cx.server.propagation.begin();
    let ok = run(cx);
    let Some(before) = dirty else {
        cx.server.propagation.end(outer, 0, argv, false, true);
        return;
    };
    if ok {
        let forced = crate::propagate::always(names.0, names.1);
        cx.server.propagation.force(forced);
    }
    let changed = dirty_count(cx.server) != Some(before);
    crate::propagate::collect_expired(cx.server);
    let effects_only = crate::propagate::effects_only(names.0);
    let db = cx.client.db;
    cx.server
        .propagation
        .end(outer, db, argv, changed, effects_only);
}

/// Writes counted by the databases (Redis's `server.dirty`: a command changed the dataset when it
/// moved), or `None` when nothing consumes propagated commands (then nobody needs to know).
pub fn dirty_count(server: &Server) -> Option<u64> {
    if server.propagation.consumed() == 0 {
        return None;
    }
    Some(server.dbs.iter().map(|d| d.dirty).sum())
}

/// Work after each top-level command (and after scripts): serves clients blocked on keys that became
/// ready — not while a script runs (other clients' commands served during a slow script must not
/// hand out what the script pushed before it ends) — invalidates the keys written meanwhile for
/// client-side caching, then publishes the keyspace events raised. Call it whenever commands ran
/// outside [`execute`].
pub fn after_command(cx: &mut Ctx) {
    if !cx.server.dbs.iter().any(|db| db.hooks.has_pending()) {
        return;
    }
    let script_running = cx.server.scripting.running.is_some();
    if !script_running && cx.server.dbs.iter().any(|db| !db.hooks.ready.is_empty()) {
        blocking::serve_ready(cx.server);
        if cx.server.tracking.wants_writes() {
            tracking::process_writes(cx.server, 0);
        }
    }
    notify::publish_events(cx);
}

/// [`after_command`] for work done outside any client's command (active expiry): keyspace events
/// are published and ready keys served on behalf of no client.
pub fn after_background(server: &mut Server) {
    if server.tracking.wants_writes() {
        tracking::process_writes(server, 0);
    }
    crate::propagate::expired_alone(server);
    let mut client = ClientState::default();
    let mut out = Reply::new();
    after_command(&mut Ctx {
        server,
        client: &mut client,
        out: &mut out,
    });
}

/// Forgets everything a closing client registered: watched keys, subscriptions, blocked state,
/// `MONITOR`, client-side caching.
pub fn client_closed(server: &mut Server, client: &mut ClientState) {
    multi::unwatch_all(server, client);
    tracking::disable(server, client.id);
    pubsub::unsubscribe_all(server, client);
    blocking::unblock(server, client);
    pause::forget(server, client);
    server.monitors.retain(|m| m.0 != client.id);
}

/// Writes to client `id` in `slot` outside its own command: into `cx.out` when it is the client running
/// now, else through [`Server::send_to`].
pub fn send_to(cx: &mut Ctx, slot: usize, id: u64, f: impl FnOnce(&mut Reply)) {
    if id == cx.client.id {
        f(cx.out);
    } else {
        cx.server.send_to(slot, id, f);
    }
}

fn reject(server: &mut Server, out: &mut Reply, id: Option<usize>, e: CmdError) {
    if let Some(id) = id {
        server.stats.rejected_calls[id] += 1;
    }
    write_error(server, out, &e);
}

/// Writes an error reply and counts it in the error statistics.
pub fn write_error(server: &mut Server, out: &mut Reply, e: &CmdError) {
    out.error(e.text());
    let code = e.text().split(' ').next().unwrap_or("ERR");
    server.stats.total_error_replies += 1;
    match server.stats.errors.get_mut(code) {
        Some(n) => *n += 1,
        None => {
            server.stats.errors.insert(code.to_string(), 1);
        }
    }
}
