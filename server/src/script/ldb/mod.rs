//! The Lua debugger (LDB): `SCRIPT DEBUG YES|SYNC|NO` and the debugging `EVAL` sessions that
//! `redis-cli --ldb` / `--ldb-sync-mode` drive, with Redis 7.0's protocol: after `SCRIPT DEBUG`
//! the client's next `EVAL` stops at the script's first line, the server sends log lines as
//! arrays of status replies and reads debugger commands (`step`, `continue`, `list`, `print`,
//! `break`, `eval`, `redis`, `trace`, `maxlen`, `abort`, `help`) until the script ends; then it
//! sends `<endsession>`, the `EVAL` reply, and closes the connection.
//!
//! - [`session`]: the session state and the `redis.*` natives' logging.
//! - [`repl`]: the line hook and the command loop.
//! - [`format`]: how values and replies are shown.
//!
//! Key decision: `SYNC` runs the session on the event-loop thread, blocking every other client
//! while the hook waits for commands, and keeps the dataset changes, as Redis does. `YES` stands
//! in for Redis's `fork()`: the session runs on its own thread against a snapshot of the keyspace
//! (a fresh `Server` with copies of the databases and the configuration, and its own Lua state),
//! with the connection handed over; the event loop drops the client at once and goes on serving
//! the others, and the session's writes vanish with its snapshot.

pub mod format;
pub mod repl;
pub mod session;

use super::engine::Engine;
use super::eval::numkeys;
use crate::cmd::errors::CmdError;
use crate::cmd::{args, CmdResult, Ctx};
use crate::config::D;
use crate::net::client::ClientState;
use crate::resp::Reply;
use crate::server::Server;
use ferrous_lua::function::NativeClosure;
use ferrous_lua::thread::hook_mask;
use ferrous_lua::Value;
use session::Session;
use std::net::TcpStream;
use std::time::Duration;

/// Instructions between two count events, when the hook checks for a script that runs too long
/// without stopping (as Redis sets it).
const HOOK_COUNT: u32 = 100_000;
/// How long writing to the debugging client may block (`connSendTimeout`).
const SEND_TIMEOUT: Duration = Duration::from_millis(5000);

/// The debug mode `SCRIPT DEBUG` set for a client's next `EVAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `YES`: a forked session; dataset changes are rolled back.
    Fork,
    /// `SYNC`: the server blocks for the session; dataset changes are kept.
    Sync,
}

/// `SCRIPT DEBUG YES|SYNC|NO`.
pub fn script_debug(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if !cx.out.buf.is_empty() {
        return Err(CmdError::fixed(
            "ERR SCRIPT DEBUG must be called outside a pipeline",
        ));
    }
    let mode = &argv[2];
    cx.client.ldb = if args::is(mode, "NO") {
        None
    } else if args::is(mode, "YES") {
        Some(Mode::Fork)
    } else if args::is(mode, "SYNC") {
        Some(Mode::Sync)
    } else {
        return Err(CmdError::fixed("ERR Use SCRIPT DEBUG YES/SYNC/NO"));
    };
    cx.out.ok();
    Ok(())
}

/// `EVALSHA` from a client in debug mode.
pub const USE_EVAL: CmdError =
    CmdError::fixed("ERR Please use EVAL instead of EVALSHA for debugging");

/// `EVAL` (or `EVAL_RO`, `ro`) from a client in debug mode: runs it in a debugging session.
pub fn eval(cx: &mut Ctx, argv: &[Vec<u8>], mode: Mode, ro: bool) -> CmdResult {
    let conn = match client_socket(cx.client.fd) {
        Ok(c) => c,
        Err(e) => {
            return Err(CmdError::owned(format!(
                "ERR Fork() failed: can't run EVAL in debugging mode: {e}"
            )))
        }
    };
    cx.client.close_after_reply = true;
    match mode {
        Mode::Sync => sync_session(cx, conn, argv, ro),
        Mode::Fork => {
            fork_session(cx, conn, argv, ro);
            Ok(())
        }
    }
}

/// A blocking duplicate of the client's socket, for the session's direct reads and writes.
fn client_socket(fd: i32) -> std::io::Result<TcpStream> {
    use std::os::fd::BorrowedFd;
    if fd < 0 {
        return Err(std::io::Error::from(std::io::ErrorKind::NotConnected));
    }
    // SAFETY: `fd` is the socket of the client executing this command; the event loop keeps it
    // open at least until the command returns, and it is only duplicated here.
    let owned = unsafe { BorrowedFd::borrow_raw(fd) }.try_clone_to_owned()?;
    let conn = TcpStream::from(owned);
    conn.set_nonblocking(false)?;
    conn.set_write_timeout(Some(SEND_TIMEOUT))?;
    Ok(conn)
}

/// The milliseconds a debugged script may run without stopping before the debugger stops it.
fn time_limit(server: &Server) -> u128 {
    match server.config.int(D::busy_reply_threshold) {
        n if n > 0 => n as u128,
        _ => 5000,
    }
}

/// A synchronous session on the event-loop thread. While it runs, the busy-script threshold is
/// off, so no other client is served (not even with `BUSY`), as in Redis.
fn sync_session(cx: &mut Ctx, conn: TcpStream, argv: &[Vec<u8>], ro: bool) -> CmdResult {
    crate::log::warning("Redis synchronous debugging eval session started");
    let restore = conn.try_clone().ok();
    let threshold = cx.server.config.int(D::busy_reply_threshold).to_string();
    let limit = time_limit(cx.server);
    let _ = cx.server.config.set("busy-reply-threshold", "0", true);
    let result = run_session(cx, Session::new(conn, &argv[1], limit), argv, ro);
    let _ = cx
        .server
        .config
        .set("busy-reply-threshold", &threshold, true);
    if let Some(c) = restore {
        let _ = c.set_write_timeout(None);
        let _ = c.set_nonblocking(true);
    }
    crate::log::warning("Redis synchronous debugging eval session ended");
    result
}

/// Runs the debugged `EVAL` with `session` installed, then logs `<endsession>` and sends the logs.
fn run_session(cx: &mut Ctx, session: Session, argv: &[Vec<u8>], ro: bool) -> CmdResult {
    session::begin(session);
    let result = debug_eval(cx, argv, ro);
    if let Some(mut s) = session::end() {
        s.log("<endsession>");
        s.send_logs();
    }
    result
}

/// The `EVAL` itself (`evalGenericCommand` under the debugger).
fn debug_eval(cx: &mut Ctx, argv: &[Vec<u8>], ro: bool) -> CmdResult {
    let n = numkeys(argv)?;
    let mut engine = super::eval::engine(cx);
    let result = debug_eval_with(cx, &mut engine, argv, n, ro);
    cx.server.scripting.eval = Some(engine);
    result
}

/// Runs the script as `EVAL` does, with the line hook set for the call's duration.
fn debug_eval_with(
    cx: &mut Ctx,
    engine: &mut Engine,
    argv: &[Vec<u8>],
    n: usize,
    ro: bool,
) -> CmdResult {
    set_hook(engine, true);
    let result = super::eval::eval_with(cx, engine, argv, n, false, ro);
    set_hook(engine, false);
    result
}

/// Sets (or clears) the debugger's line and count hook on the script state's main thread.
fn set_hook(engine: &mut Engine, on: bool) {
    engine.lua.mutate(|ctx| {
        let thread = ctx.state.main_thread;
        if on {
            let hook = NativeClosure::function(ctx.mc, "ldb_hook", repl::hook, Vec::new());
            let mask = hook_mask::LINE | hook_mask::COUNT;
            thread.set_host_hook(ctx.mc, hook, mask, HOOK_COUNT);
        } else {
            thread.set_hook(ctx.mc, Value::Nil, 0, 0);
        }
    });
}

/// What a forked session takes from the server: a snapshot of the dataset and what the `EVAL`
/// needs to run as the client.
struct Fork {
    config: crate::config::Config,
    dbs: Vec<crate::db::Db>,
    db: usize,
    resp3: bool,
    argv: Vec<Vec<u8>>,
    ro: bool,
    limit: u128,
    rand: u64,
    /// Replies the client has not been sent yet (the header of an `EXEC` running the `EVAL`):
    /// written after the session with the `EVAL` reply, as the fork child writes its copy of
    /// the client's buffer.
    pending: Vec<u8>,
}

/// Starts a forked session on its own thread; the event loop closes its side of the client.
fn fork_session(cx: &mut Ctx, conn: TcpStream, argv: &[Vec<u8>], ro: bool) {
    let fork = Fork {
        config: cx.server.config.clone(),
        dbs: cx.server.dbs.iter().map(crate::db::Db::snapshot).collect(),
        db: cx.client.db,
        resp3: cx.out.resp3,
        argv: argv.to_vec(),
        ro,
        limit: time_limit(cx.server),
        rand: super::lib::rand_state(),
        pending: std::mem::take(&mut cx.out.buf),
    };
    let spawned = std::thread::Builder::new()
        .name("ldb".into())
        .spawn(move || run_fork(fork, conn));
    if let Err(e) = spawned {
        crate::log::warning(&format!("Can't start the Lua debugging session: {e}"));
    }
}

/// The forked session: the `EVAL` against the snapshot, its reply, then the connection closes.
fn run_fork(fork: Fork, conn: TcpStream) {
    crate::log::warning("Redis forked for debugging eval");
    super::lib::set_rand_state(fork.rand);
    let mut server = Server::new(fork.config);
    server.dbs = fork.dbs;
    let mut client = ClientState {
        db: fork.db,
        authenticated: true,
        fd: -1,
        last_cmd: "NULL",
        ..ClientState::default()
    };
    let mut out = Reply::new();
    out.resp3 = fork.resp3;
    out.buf = fork.pending;
    let mut cx = Ctx {
        server: &mut server,
        client: &mut client,
        out: &mut out,
    };
    let session = Session::new(conn, &fork.argv[1], fork.limit);
    session::begin(session);
    let result = debug_eval(&mut cx, &fork.argv, fork.ro);
    if let Err(e) = result {
        crate::cmd::write_error(cx.server, cx.out, &e);
    }
    if let Some(mut s) = session::end() {
        s.log("<endsession>");
        s.send_logs();
        s.write_raw(&out.buf);
    }
    crate::log::warning("Lua debugging session child exiting");
}
