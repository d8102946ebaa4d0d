//! Commands: the dispatcher ([`execute`]), the context handlers receive ([`Ctx`]), and one module per
//! command family, each exporting a `COMMANDS` table that [`FAMILIES`] lists.
//!
//! # Adding a command family
//! 1. Create `cmd/<family>.rs` with `//!` header and a table:
//!    ```ignore
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
//!    write. Type checks: `value.as_list()?` / `as_list_mut()?` return WRONGTYPE through `?`.
//! 4. Reply through `cx.out` ([`Reply`]): `ok()`, `int(n)`, `bulk(b)`, `null()`, `null_array()`,
//!    `array(n)` then n elements, `map(n)` then n key/value pairs, `set(n)`, `double(f)`,
//!    `boolean(b)`. The writer encodes RESP2/RESP3 per client.
//! 5. Test: `server/tests/<family>.rs` using `common::Server::start()` (redis crate connection and raw
//!    RESP helpers), and a differential script `tests/redis/<family>.txt` compared byte for byte with
//!    redis-server by `server/tests/differential.rs`.

pub mod args;
pub mod bits;
pub mod connection;
pub mod errors;
pub mod hash;
pub mod info;
pub mod keys;
pub mod list;
pub mod scripting;
pub mod server;
pub mod set;
pub mod string;
pub mod table;
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
    scripting::COMMANDS,
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

/// Looks up and runs one command, writing exactly one reply into `out`.
pub fn execute(server: &mut Server, client: &mut ClientState, out: &mut Reply, argv: &[Vec<u8>]) {
    let Some(entry) = table().lookup(&argv[0]) else {
        reject(server, out, None, errors::unknown_command(argv));
        return;
    };
    let mut cmd = entry.cmd;
    let id = entry.id;
    if !cmd.arity_ok(argv.len()) {
        reject(server, out, Some(id), errors::wrong_arity(cmd.name));
        return;
    }
    let mut sub = "";
    if !cmd.subcommands.is_empty() && argv.len() >= 2 {
        let Some(s) = cmd.subcommand(&argv[1]) else {
            reject(
                server,
                out,
                Some(id),
                errors::unknown_subcommand(&argv[1], cmd.name),
            );
            return;
        };
        if !s.arity_ok(argv.len()) {
            let full = format!("{}|{}", cmd.name, s.name);
            reject(server, out, Some(id), errors::wrong_arity(&full));
            return;
        }
        sub = s.name;
        cmd = s;
    }
    if !client.authenticated
        && entry.bits & table::flag::NO_AUTH == 0
        && cmd.flag_bits() & table::flag::NO_AUTH == 0
    {
        reject(server, out, Some(id), errors::NOAUTH);
        return;
    }
    if let Some(busy) = server.scripting.busy_error() {
        if !cmd
            .flags
            .split_ascii_whitespace()
            .any(|f| f == "allow_busy")
        {
            reject(server, out, Some(id), CmdError::fixed(busy));
            return;
        }
    }
    client.last_cmd = entry.cmd.name;
    client.last_sub = sub;
    server.stats.commands_processed += 1;
    server.stats.calls[id] += 1;
    let mark = out.len();
    let mut cx = Ctx {
        server,
        client,
        out,
    };
    if let Err(e) = (cmd.handler)(&mut cx, argv) {
        cx.out.truncate(mark);
        cx.server.stats.failed_calls[id] += 1;
        write_error(cx.server, cx.out, &e);
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
