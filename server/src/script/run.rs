//! Running a script or function: the fake client its `redis.call`s run as, the checks Redis makes
//! before each call (`scriptCall`), and the driver that runs the Lua call in slices — between
//! slices it honours `SCRIPT KILL`/`FUNCTION KILL`, bounds the script's memory and, once the
//! script has run past `busy-reply-threshold`, serves the other clients (who get `BUSY`).
//! Key decision: the Lua call never holds the server; it is lent to the natives one slice at a
//! time ([`super::host`]), so the event loop's connections can be served between slices.

use super::convert::{error_info, lua_to_reply};
use super::engine::{set_protected_global, Engine, Handle};
use super::host::{lend, Host};
use crate::cmd::table::{flag, table, Entry};
use crate::cmd::{CmdError, CmdResult, Ctx as CmdCtx};
use crate::config::D;
use crate::net::client::ClientState;
use crate::resp::Reply;
use crate::server::{Server, Shutdown};
use ferrous_lua::callback::{Action, Catch, Continuation, NativeResult, Stack};
use ferrous_lua::function::NativeClosure;
use ferrous_lua::lua::results;
use ferrous_lua::table::Table;
use ferrous_lua::vm::Ctx;
use ferrous_lua::{CallStatus, Value};
use std::time::Instant;

/// Bytes of Lua heap a script may hold; past it the script gets `not enough memory` errors.
const MEMORY_LIMIT: usize = 512 << 20;
/// Lua instructions (calls and backward jumps) between two checks for kill, memory and time.
const CHECK_FUEL: i64 = 256;
/// How often (ms) a busy script lets the other clients in.
const BUSY_POLL_MS: u128 = 5;

/// The error text `SCRIPT KILL` raises in the script.
pub const KILLED: &str = "ERR Script killed by user with SCRIPT KILL...";
/// The error text `FUNCTION KILL` raises in the function.
pub const FUNCTION_KILLED: &str = "ERR Script killed by user with FUNCTION KILL...";

/// What the server knows about the script running now (for `BUSY`, `SCRIPT KILL`, `FUNCTION KILL`).
#[derive(Debug)]
pub struct Running {
    /// When it started.
    pub started: Instant,
    /// True for `FCALL`, false for `EVAL`.
    pub function: bool,
    /// It has run a write command (it can no longer be killed).
    pub wrote: bool,
    /// A kill was requested.
    pub kill: bool,
    /// The other clients are being served (they get `BUSY`).
    pub busy: bool,
    /// Script SHA1 or function name (filled once the script turns busy: only other clients, served
    /// from then on, can ask for it, so a short run does not pay for the copy).
    pub name: String,
    /// The command that runs it (filled once busy, like `name`, or from the start while client-side
    /// caching needs the script's declared keys).
    pub command: Vec<Vec<u8>>,
}

/// The running script's own state, lent to the natives with the server. One is kept from run to
/// run ([`super::Scripting::spare`]) so that its buffers are reused: a warm `redis.call` allocates
/// nothing.
#[derive(Default)]
pub struct ScriptRun {
    /// The fake client `redis.call` runs commands as.
    pub client: ClientState,
    /// Reply buffer of the last `redis.call`.
    pub scratch: Reply,
    /// Argument buffers of `redis.call`: the call's arguments are the first ones, the rest keep
    /// their capacity for the next call.
    pub argv: Vec<Vec<u8>>,
    /// Command names called lately, as written, with their entries.
    pub names: Names,
    /// `redis.setresp(3)` was called.
    pub resp3: bool,
    /// Writes are refused (`EVAL_RO`, `FCALL_RO`, `no-writes`).
    pub read_only: bool,
    /// `redis.set_repl` flags.
    pub repl_flags: u8,
}

/// The command names a script called lately, exactly as written, with their entries: scripts call
/// a few commands over and over, and comparing the name with these is cheaper than the
/// case-folding hash lookup.
#[derive(Default)]
pub struct Names(Vec<(Box<[u8]>, &'static Entry)>);

/// Names remembered at most.
const NAMES_KEPT: usize = 16;

impl Names {
    /// The entry of command `name`.
    fn lookup(&mut self, name: &[u8]) -> Option<&'static Entry> {
        if let Some(&(_, entry)) = self.0.iter().find(|(n, _)| **n == *name) {
            return Some(entry);
        }
        let entry = table().lookup(name)?;
        if self.0.len() == NAMES_KEPT {
            self.0.pop();
        }
        self.0.insert(0, (name.into(), entry));
        Some(entry)
    }
}

/// Buffers larger than this are not kept for the next run.
const SPARE_MAX_BYTES: usize = 64 << 10;
/// Argument buffers kept for the next run, at most.
const SPARE_MAX_ARGS: usize = 64;

impl ScriptRun {
    /// Readies a kept state for a new run: a fresh fake client in database `db`, default flags.
    fn reset(&mut self, db: usize, read_only: bool) {
        self.client = ClientState {
            db,
            authenticated: true,
            script: true,
            last_cmd: "NULL",
            ..ClientState::default()
        };
        self.resp3 = false;
        self.read_only = read_only;
        self.repl_flags = 3;
    }

    /// Drops the buffers that grew large, before the state is kept for the next run.
    fn trim(&mut self) {
        if self.scratch.buf.capacity() > SPARE_MAX_BYTES {
            self.scratch.buf = Vec::new();
        }
        self.argv.truncate(SPARE_MAX_ARGS);
        for a in &mut self.argv {
            if a.capacity() > SPARE_MAX_BYTES {
                *a = Vec::new();
            }
        }
    }
}

impl Host<'_> {
    /// Runs one command for `redis.call` (`scriptCall`), leaving its reply in `run.scratch`;
    /// `Err` with Redis's text when the call is refused before running. The command is resolved
    /// once, here, and run through [`crate::cmd::invoke`].
    pub fn command(&mut self, argv: &[Vec<u8>]) -> Result<(), &'static str> {
        super::ldb::session::log_command(argv);
        const UNKNOWN: &str = "Unknown Redis command called from script";
        let entry = self.run.names.lookup(&argv[0]).ok_or(UNKNOWN)?;
        let (mut cmd, mut sub, mut bits) = (entry.cmd, "", entry.bits);
        if !cmd.subcommands.is_empty() && argv.len() >= 2 {
            cmd = cmd.subcommand(&argv[1]).ok_or(UNKNOWN)?;
            (sub, bits) = (cmd.name, cmd.flag_bits());
        }
        if !entry.cmd.arity_ok(argv.len()) || !cmd.arity_ok(argv.len()) {
            return Err("Wrong number of args calling Redis command from script");
        }
        if (bits | entry.bits) & flag::NOSCRIPT != 0 {
            return Err("This Redis command is not allowed from script");
        }
        let write = bits & flag::WRITE != 0;
        if self.run.read_only && (write || bits & flag::MAY_REPLICATE != 0) {
            return Err("Write commands are not allowed from read-only scripts.");
        }
        if write {
            if let Some(r) = self.server.scripting.running.as_mut() {
                r.wrote = true;
            }
        }
        self.run.scratch.buf.clear();
        self.run.scratch.resp3 = self.run.resp3;
        let prop = &mut self.server.propagation;
        let allowed = std::mem::replace(&mut prop.allowed, self.run.repl_flags);
        crate::cmd::invoke(
            &mut crate::cmd::Ctx {
                server: self.server,
                client: &mut self.run.client,
                out: &mut self.run.scratch,
            },
            &crate::cmd::Resolved {
                entry,
                cmd,
                sub,
                bits,
            },
            argv,
        );
        self.server.propagation.allowed = allowed;
        Ok(())
    }
}

/// One invocation of a compiled script or function.
pub struct Invocation<'a> {
    /// The script's SHA1 or the function's name (for error messages).
    pub name: &'a str,
    /// The compiled function.
    pub func: &'a Handle,
    /// Key names.
    pub keys: &'a [Vec<u8>],
    /// Other arguments.
    pub args: &'a [Vec<u8>],
    /// Writes refused.
    pub read_only: bool,
    /// `FCALL` (keys and args passed as arguments) rather than `EVAL` (KEYS/ARGV globals).
    pub function: bool,
    /// The whole command (`FUNCTION STATS`).
    pub argv: &'a [Vec<u8>],
}

/// Runs `inv` on `engine` and writes its reply to the caller, or returns its error.
pub fn invoke(cx: &mut CmdCtx, engine: &mut Engine, inv: Invocation) -> CmdResult {
    let mut run = cx.server.scripting.spare.take().unwrap_or_default();
    run.reset(cx.client.db, inv.read_only);
    let started = Instant::now();
    cx.server.scripting.running = Some(Running {
        started,
        function: inv.function,
        wrote: false,
        kill: false,
        busy: false,
        name: String::new(),
        command: if cx.server.tracking.in_use() {
            inv.argv.to_vec()
        } else {
            Vec::new()
        },
    });
    let handler = &engine.handler;
    let reused = &mut engine.reused;
    let lua = &mut engine.lua;
    let mut status = lend(
        &mut Host {
            server: cx.server,
            run: &mut run,
        },
        || lua.start(|ctx| prepare(ctx, handler, reused, &inv)),
    );
    let mut killed = false;
    let mut last_poll = started;
    while status == CallStatus::Pending {
        let mut host = Host {
            server: cx.server,
            run: &mut run,
        };
        status = lend(&mut host, || lua.resume(CHECK_FUEL));
        if status != CallStatus::Pending {
            break;
        }
        let running = cx.server.scripting.running.as_ref();
        if running.is_some_and(|r| r.kill) || cx.server.shutdown != Shutdown::No {
            killed = true;
            let mut host = Host {
                server: cx.server,
                run: &mut run,
            };
            status = lend(&mut host, || lua.raise(b"Script killed"));
            continue;
        }
        if lua.heap_estimate() > MEMORY_LIMIT {
            lua.collect_garbage();
            if lua.heap_estimate() > MEMORY_LIMIT {
                status = lua.raise(b"not enough memory");
                continue;
            }
        }
        if last_poll.elapsed().as_millis() >= BUSY_POLL_MS {
            last_poll = Instant::now();
            serve_if_busy(cx.server, &inv);
        }
    }
    cx.server.scripting.running = None;
    if lua.heap_estimate() > MEMORY_LIMIT / 2 {
        lua.collect_garbage();
    }
    let kill_text = if inv.function {
        FUNCTION_KILLED
    } else {
        KILLED
    };
    let outcome = lua.mutate(|ctx| {
        write_outcome(
            ctx,
            cx.out,
            &status,
            &run,
            &inv,
            killed.then_some(kill_text),
        )
    });
    run.trim();
    cx.server.scripting.spare = Some(run);
    outcome
}

/// Lets the other clients in (they get `BUSY`) once the script has run past the threshold.
fn serve_if_busy(server: &mut Server, inv: &Invocation) {
    let threshold = server.config.int(D::busy_reply_threshold);
    let Some(r) = server.scripting.running.as_mut() else {
        return;
    };
    if threshold <= 0 || r.started.elapsed().as_millis() < threshold as u128 {
        return;
    }
    if !r.busy {
        r.busy = true;
        r.name = inv.name.to_string();
        r.command = inv.argv.to_vec();
        crate::log::warning(&format!(
            "Slow script detected: still in execution after {} milliseconds. You can try killing the script using the {} KILL command. Script name is: {}.",
            r.started.elapsed().as_millis(),
            if r.function { "FUNCTION" } else { "SCRIPT" },
            inv.name
        ));
    }
    crate::net::busy::serve_clients(server);
}

/// What each run of an engine reuses from the previous one: the runner native, and the `KEYS`
/// and `ARGV` tables of `EVAL` (see [`refill`]).
pub struct Reused {
    runner: Handle,
    keys: Option<Handle>,
    argv: Option<Handle>,
}

/// Builds the Lua call: the runner native with the handler, the function and its arguments.
fn prepare<'gc>(
    ctx: Ctx<'gc>,
    handler: &Handle,
    reused: &mut Option<Reused>,
    inv: &Invocation,
) -> (Value<'gc>, Vec<Value<'gc>>) {
    let reused = reused.get_or_insert_with(|| Reused {
        runner: Engine::stash(
            ctx,
            NativeClosure::function(ctx.mc, "runner", runner, Vec::new()),
        ),
        keys: None,
        argv: None,
    });
    let mut args = Vec::with_capacity(4);
    args.extend([Engine::fetch(ctx, handler), Engine::fetch(ctx, inv.func)]);
    if inv.function {
        args.push(Value::Table(array(ctx, inv.keys)));
        args.push(Value::Table(array(ctx, inv.args)));
    } else {
        refill(ctx, &mut reused.keys, "KEYS", inv.keys);
        refill(ctx, &mut reused.argv, "ARGV", inv.args);
    }
    (Engine::fetch(ctx, &reused.runner), args)
}

/// A table of `items` shaped as Redis's (`lua_newtable` then `lua_rawseti` one by one, which
/// leaves an array part of the next power of two).
fn array<'gc>(ctx: Ctx<'gc>, items: &[Vec<u8>]) -> Table<'gc> {
    let t = Table::with_capacity(ctx.mc, array_size(items.len()), 0);
    for (i, item) in items.iter().enumerate() {
        t.set_int(ctx.mc, i as i64 + 1, ctx.str(item));
    }
    t
}

fn array_size(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        n.next_power_of_two()
    }
}

/// Sets the global `name` (`KEYS` or `ARGV`) to an array of `items`. The table the previous run
/// got is refilled (keeping the strings that did not change, which saves interning them again) when it is indistinguishable from a fresh one once refilled: no metatable, no
/// keys outside its array part, and the array part a fresh table would have. No script can keep
/// a reference to it past its run (the globals and everything reachable from them are
/// read-only), so reusing it is invisible; the global already holds it.
fn refill<'gc>(ctx: Ctx<'gc>, slot: &mut Option<Handle>, name: &str, items: &[Vec<u8>]) {
    if let Some(Value::Table(t)) = slot.as_ref().map(|h| Engine::fetch(ctx, h)) {
        if reusable(t, items.len()) {
            for (i, item) in items.iter().enumerate() {
                let at = i as i64 + 1;
                match t.get_int(at) {
                    Value::String(s) if s.as_bytes() == item.as_slice() => {}
                    _ => t.set_int(ctx.mc, at, ctx.str(item)),
                }
            }
            for i in items.len()..array_size(items.len()) {
                t.set_int(ctx.mc, i as i64 + 1, Value::Nil);
            }
            return;
        }
    }
    let t = array(ctx, items);
    set_protected_global(ctx, name, Value::Table(t));
    *slot = Some(Engine::stash(ctx, Value::Table(t)));
}

/// Whether `t` can be refilled with `n` items (see [`refill`]).
fn reusable(t: Table<'_>, n: usize) -> bool {
    let data = t.data();
    let size = data.array().len();
    if data.metatable().is_some() || t.is_readonly() || size != array_size(n) {
        return false;
    }
    let end = if size == 0 {
        Value::Nil
    } else {
        Value::Number(size as f64)
    };
    matches!(data.next(end), Ok(None))
}

/// Calls the function (window: handler, function, args...) under the error handler; returns
/// `true, first result` or `false, handled error`.
fn runner<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let handler = stack.get(0);
    let f = stack.get(1);
    stack.drain_front(2);
    Ok(Action::Call {
        function: f,
        keep: 0,
        then: Some(Continuation {
            func: runner_done,
            state: handler,
            catch: Catch::WithHandler,
        }),
    })
}

fn runner_done<'gc>(
    _: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    match outcome {
        Ok(()) => {
            let first = stack.get(0);
            stack.replace(&[Value::Boolean(true), first]);
        }
        Err(e) => stack.replace(&[Value::Boolean(false), e]),
    }
    Ok(Action::Return)
}

/// Writes the script's result to the caller, or returns its error.
fn write_outcome<'gc>(
    ctx: Ctx<'gc>,
    out: &mut Reply,
    status: &CallStatus,
    run: &ScriptRun,
    inv: &Invocation,
    killed: Option<&str>,
) -> CmdResult {
    let r = results(ctx);
    let (ok, value) = match status {
        CallStatus::Done(Ok(())) => (r.first().is_some_and(|v| v.is_truthy()), r.get(1).copied()),
        _ => (false, None),
    };
    if ok && killed.is_none() {
        lua_to_reply(ctx, value.unwrap_or_default(), out, run.resp3);
        return Ok(());
    }
    let text = match value {
        Some(Value::Table(t)) => {
            let info = error_info(ctx, t);
            let mut text = match (killed, info.msg) {
                (Some(k), _) => k.to_string(),
                (None, Some(m)) => String::from_utf8_lossy(&m).into_owned(),
                (None, None) => {
                    "ERR Error running script: the error object has no 'err' field".into()
                }
            };
            if let (Some(source), Some(line)) = (info.source, info.line) {
                text.push_str(&format!(
                    " script: {}, on {}:{}.",
                    inv.name,
                    String::from_utf8_lossy(&source),
                    String::from_utf8_lossy(&line)
                ));
            }
            text
        }
        _ if killed.is_some() => killed.unwrap_or_default().to_string(),
        other => {
            let msg = match other {
                Some(Value::String(s)) => s.to_str_lossy().chars().take(100).collect(),
                _ => "execution failure".to_string(),
            };
            format!("ERR Error running script {}, {}", inv.name, msg)
        }
    };
    Err(CmdError::owned(text))
}
