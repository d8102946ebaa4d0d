//! Running a script or function: the fake client its `redis.call`s run as, the checks Redis makes
//! before each call (`scriptCall`), and the driver that runs the Lua call in slices — between
//! slices it honours `SCRIPT KILL`/`FUNCTION KILL`, bounds the script's memory and, once the
//! script has run past `busy-reply-threshold`, serves the other clients (who get `BUSY`).
//! Key decision: the Lua call never holds the server; it is lent to the natives one slice at a
//! time ([`super::host`]), so the event loop's connections can be served between slices.

use super::convert::{error_info, lua_to_reply};
use super::engine::{set_protected_global, Engine, Handle};
use super::host::{lend, Host};
use crate::cmd::table::{flag, table};
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
    /// Script SHA1 or function name.
    pub name: String,
    /// The command that runs it.
    pub command: Vec<Vec<u8>>,
}

/// The running script's own state, lent to the natives with the server.
pub struct ScriptRun {
    /// The fake client `redis.call` runs commands as.
    pub client: ClientState,
    /// Reply buffer of the last `redis.call`.
    pub scratch: Reply,
    /// `redis.setresp(3)` was called.
    pub resp3: bool,
    /// Writes are refused (`EVAL_RO`, `FCALL_RO`, `no-writes`).
    pub read_only: bool,
    /// `redis.set_repl` flags.
    pub repl_flags: u8,
}

impl Host<'_> {
    /// Runs one command for `redis.call` (`scriptCall`), leaving its reply in `run.scratch`;
    /// `Err` with Redis's text when the call is refused before running.
    pub fn command(&mut self, argv: &[Vec<u8>]) -> Result<(), &'static str> {
        super::ldb::session::log_command(argv);
        let entry = table()
            .lookup(&argv[0])
            .ok_or("Unknown Redis command called from script")?;
        let mut cmd = entry.cmd;
        if !cmd.subcommands.is_empty() && argv.len() >= 2 {
            cmd = cmd
                .subcommand(&argv[1])
                .ok_or("Unknown Redis command called from script")?;
        }
        if !entry.cmd.arity_ok(argv.len()) || !cmd.arity_ok(argv.len()) {
            return Err("Wrong number of args calling Redis command from script");
        }
        let words = |c: &crate::cmd::table::Command, w: &str| {
            c.flags.split_ascii_whitespace().any(|f| f == w)
        };
        if words(cmd, "noscript") || words(entry.cmd, "noscript") {
            return Err("This Redis command is not allowed from script");
        }
        let write = cmd.flag_bits() & flag::WRITE != 0;
        if self.run.read_only && (write || words(cmd, "may_replicate")) {
            return Err("Write commands are not allowed from read-only scripts.");
        }
        if write {
            if let Some(r) = self.server.scripting.running.as_mut() {
                r.wrote = true;
            }
        }
        self.run.scratch.buf.clear();
        self.run.scratch.resp3 = self.run.resp3;
        crate::cmd::call(
            &mut crate::cmd::Ctx {
                server: self.server,
                client: &mut self.run.client,
                out: &mut self.run.scratch,
            },
            argv,
        );
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
    let mut run = ScriptRun {
        client: ClientState {
            db: cx.client.db,
            authenticated: true,
            script: true,
            last_cmd: "NULL",
            ..ClientState::default()
        },
        scratch: Reply::new(),
        resp3: false,
        read_only: inv.read_only,
        repl_flags: 3,
    };
    cx.server.scripting.running = Some(Running {
        started: Instant::now(),
        function: inv.function,
        wrote: false,
        kill: false,
        busy: false,
        name: inv.name.to_string(),
        command: inv.argv.to_vec(),
    });
    let handler = &engine.handler;
    let lua = &mut engine.lua;
    let mut status = lend(
        &mut Host {
            server: cx.server,
            run: &mut run,
        },
        || lua.start(|ctx| prepare(ctx, handler, &inv)),
    );
    let mut killed = false;
    let mut last_poll = Instant::now();
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
            serve_if_busy(cx.server, inv.name);
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
    lua.mutate(|ctx| {
        write_outcome(
            ctx,
            cx.out,
            &status,
            &run,
            &inv,
            killed.then_some(kill_text),
        )
    })
}

/// Lets the other clients in (they get `BUSY`) once the script has run past the threshold.
fn serve_if_busy(server: &mut Server, name: &str) {
    let threshold = server.config.int(D::busy_reply_threshold);
    let Some(r) = server.scripting.running.as_mut() else {
        return;
    };
    if threshold <= 0 || r.started.elapsed().as_millis() < threshold as u128 {
        return;
    }
    if !r.busy {
        r.busy = true;
        crate::log::warning(&format!(
            "Slow script detected: still in execution after {} milliseconds. You can try killing the script using the {} KILL command. Script name is: {}.",
            r.started.elapsed().as_millis(),
            if r.function { "FUNCTION" } else { "SCRIPT" },
            name
        ));
    }
    crate::net::busy::serve_clients(server);
}

/// Builds the Lua call: the runner native with the handler, the function and its arguments.
fn prepare<'gc>(
    ctx: Ctx<'gc>,
    handler: &Handle,
    inv: &Invocation,
) -> (Value<'gc>, Vec<Value<'gc>>) {
    let array = |items: &[Vec<u8>]| {
        let t = Table::with_capacity(ctx.mc, items.len(), 0);
        for (i, item) in items.iter().enumerate() {
            t.set_int(ctx.mc, i as i64 + 1, ctx.str(item));
        }
        Value::Table(t)
    };
    let mut args = vec![Engine::fetch(ctx, handler), Engine::fetch(ctx, inv.func)];
    if inv.function {
        args.push(array(inv.keys));
        args.push(array(inv.args));
    } else {
        set_protected_global(ctx, "KEYS", array(inv.keys));
        set_protected_global(ctx, "ARGV", array(inv.args));
    }
    let runner = NativeClosure::function(ctx.mc, "runner", runner, Vec::new());
    (runner, args)
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
