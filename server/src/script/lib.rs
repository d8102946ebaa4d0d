//! The `redis` table and the globals Redis replaces in its scripting state: `redis.call`/`pcall`
//! (commands run through the server's dispatcher via [`super::host`]), `error_reply`,
//! `status_reply`, `sha1hex`, `log`, `setresp`, `set_repl`, `replicate_commands`, `breakpoint`,
//! `debug`, the `LOG_*`/`REPL_*` constants and version fields; the global `pcall` that hands back
//! the `err` text of error tables; `math.random`/`math.randomseed` on Redis's `redisLrand48`; and
//! the `__index` that rejects undeclared globals. Key decision: errors are raised as Redis raises
//! them — `{err="CODE message"}` tables built by [`error_table`] (`luaPushErrorBuff`) — so the
//! error handler and `redis.pcall` see exactly what Redis's do.

use super::convert::{field_table, resp_to_lua, string_field};
use super::host::{with_host, Host};
use super::ldb::session as ldb;
use ferrous_lua::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use ferrous_lua::table::Table;
use ferrous_lua::vm::Ctx;
use ferrous_lua::Value;
use std::cell::Cell;

/// Redis's version as `REDIS_VERSION_NUM` reports it (0x00MMmmpp).
fn version_num() -> f64 {
    let mut parts = crate::REDIS_VERSION
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b, c) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    ((a << 16) | (b << 8) | c) as f64
}

/// Installs the `redis` table, Redis's `pcall` and `math.random` into the globals of `ctx`.
pub fn open(ctx: Ctx<'_>) {
    let redis = Table::new(ctx.mc);
    ferrous_lua::stdlib::register(
        ctx,
        redis,
        &[
            ("call", call),
            ("pcall", pcall_command),
            ("error_reply", error_reply),
            ("status_reply", status_reply),
            ("sha1hex", sha1hex),
            ("log", log),
            ("setresp", setresp),
            ("set_repl", set_repl),
            ("replicate_commands", replicate_commands),
            ("breakpoint", breakpoint),
            ("debug", debug),
        ],
    );
    let constants: [(&str, f64); 9] = [
        ("LOG_DEBUG", 0.0),
        ("LOG_VERBOSE", 1.0),
        ("LOG_NOTICE", 2.0),
        ("LOG_WARNING", 3.0),
        ("REPL_NONE", 0.0),
        ("REPL_AOF", 1.0),
        ("REPL_SLAVE", 2.0),
        ("REPL_REPLICA", 2.0),
        ("REPL_ALL", 3.0),
    ];
    for (name, v) in constants {
        let _ = redis.set(ctx.mc, ctx.str(name), Value::Number(v));
    }
    let _ = redis.set(
        ctx.mc,
        ctx.str("REDIS_VERSION"),
        ctx.str(crate::REDIS_VERSION),
    );
    let _ = redis.set(
        ctx.mc,
        ctx.str("REDIS_VERSION_NUM"),
        Value::Number(version_num()),
    );
    let g = ctx.globals();
    let _ = g.set(ctx.mc, ctx.str("redis"), Value::Table(redis));
    ferrous_lua::stdlib::register(ctx, g, &[("pcall", pcall)]);
    if let Value::Table(math) = g.get_str(ctx.intern(b"math")) {
        ferrous_lua::stdlib::register(ctx, math, &[("random", random), ("randomseed", randomseed)]);
    }
}

/// `luaPushErrorBuff`: `-CODE msg` keeps its code, anything else gets `ERR`; trailing CR/LF
/// trimmed. Returns `{err="CODE msg"}`.
pub fn error_table<'gc>(ctx: Ctx<'gc>, text: &[u8]) -> Value<'gc> {
    let (code, msg): (&[u8], &[u8]) = match text.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", text),
    };
    let mut msg = msg;
    while let Some(rest) = msg.strip_suffix(b"\n").or_else(|| msg.strip_suffix(b"\r")) {
        msg = rest;
    }
    while let Some(rest) = msg.strip_prefix(b"\n").or_else(|| msg.strip_prefix(b"\r")) {
        msg = rest;
    }
    ldb::log_error(text);
    let mut full = code.to_vec();
    full.push(b' ');
    full.extend_from_slice(msg);
    field_table(ctx, "err", ctx.str(full))
}

/// Raises `{err="ERR text"}`.
fn raise<'gc>(ctx: Ctx<'gc>, text: &str) -> NativeResult<'gc> {
    Err(NativeError::Value(error_table(ctx, text.as_bytes())))
}

/// Checks the arguments of `redis.call` (`luaArgsToRedisArgv`): at least one, each a string or a
/// number.
fn check_args(args: &[Value<'_>]) -> Result<(), &'static str> {
    if args.is_empty() {
        return Err("Please specify at least one argument for this redis lib call");
    }
    if args
        .iter()
        .any(|v| !matches!(v, Value::String(_) | Value::Number(_)))
    {
        return Err("Lua redis lib command arguments must be strings or integers");
    }
    Ok(())
}

/// Copies the (checked) arguments into the reusable buffers `argv`: strings as they are, numbers
/// in `%.17g`. The command's arguments are then `argv[..args.len()]`.
fn fill_args(argv: &mut Vec<Vec<u8>>, args: &[Value<'_>]) {
    if argv.len() < args.len() {
        argv.resize_with(args.len(), Vec::new);
    }
    for (a, v) in argv.iter_mut().zip(args) {
        a.clear();
        match *v {
            Value::String(s) => a.extend_from_slice(s.as_bytes()),
            Value::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e17 && !(n == 0.0 && n.is_sign_negative()) {
                    crate::resp::reply::push_int(a, n as i64);
                } else {
                    a.extend_from_slice(crate::resp::double::format_double(n).as_bytes());
                }
            }
            _ => {}
        }
    }
}

/// Runs `args` as a command on the lent host; its reply as a Lua value and whether it is an error.
fn run_command<'gc>(ctx: Ctx<'gc>, host: &mut Host<'_>, args: &[Value<'gc>]) -> (Value<'gc>, bool) {
    let mut argv = std::mem::take(&mut host.run.argv);
    fill_args(&mut argv, args);
    let ran = host.command(&argv[..args.len()]);
    host.run.argv = argv;
    match ran {
        Ok(()) => {
            let buf = &host.run.scratch.buf;
            let is_error = buf.first() == Some(&b'-');
            ldb::log_reply(buf);
            (resp_to_lua(ctx, buf, &mut 0), is_error)
        }
        Err(e) => {
            let t = error_table(ctx, e.as_bytes());
            if let Value::Table(t) = t {
                let _ = t.set(
                    ctx.mc,
                    ctx.str("ignore_error_stats_update"),
                    Value::Boolean(true),
                );
            }
            (t, true)
        }
    }
}

/// `redis.call` / `redis.pcall`: runs the command through the dispatcher and converts its reply.
fn command<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    raise_errors: bool,
) -> NativeResult<'gc> {
    let args = stack.as_slice();
    let result = match check_args(args) {
        Ok(()) => with_host(|host| run_command(ctx, host, args)).unwrap_or_else(|| {
            let msg: &[u8] = b"redis.call/pcall can only be called inside a script invocation";
            (error_table(ctx, msg), true)
        }),
        Err(msg) => (error_table(ctx, msg.as_bytes()), true),
    };
    match result {
        (v, true) if raise_errors => Err(NativeError::Value(v)),
        (v, _) => {
            stack.replace(&[v]);
            Ok(Action::Return)
        }
    }
}

fn call<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    command(ctx, stack, true)
}

fn pcall_command<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    command(ctx, stack, false)
}

fn single_string_arg<'gc>(stack: &Stack<'gc, '_>) -> Option<&'gc [u8]> {
    match (stack.len(), stack.get(0)) {
        (1, Value::String(s)) => Some(s.as_bytes()),
        _ => None,
    }
}

fn error_reply<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = match single_string_arg(stack) {
        Some(s) if s.first() == Some(&b'-') => error_table(ctx, s),
        Some(s) => error_table(ctx, &[b"-", s].concat()),
        None => error_table(ctx, b"wrong number or type of arguments"),
    };
    stack.replace(&[v]);
    Ok(Action::Return)
}

fn status_reply<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = match single_string_arg(stack) {
        Some(s) => field_table(ctx, "ok", ctx.str(s)),
        None => error_table(ctx, b"wrong number or type of arguments"),
    };
    stack.replace(&[v]);
    Ok(Action::Return)
}

/// Lowercase hex SHA1 of `data`.
pub fn sha1_hex(data: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = sha1_smol::Sha1::from(data).digest().bytes();
    let mut hex = String::with_capacity(40);
    for b in digest {
        hex.push(HEX[(b >> 4) as usize] as char);
        hex.push(HEX[(b & 15) as usize] as char);
    }
    hex
}

fn sha1hex<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.len() != 1 {
        return Err(NativeError::Value(ctx.str("wrong number of arguments")));
    }
    let data = match stack.get(0) {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Number(n) => ferrous_lua::vm::ops::number_to_string(ctx, n)
            .as_bytes()
            .to_vec(),
        _ => Vec::new(),
    };
    stack.replace(&[ctx.str(sha1_hex(&data))]);
    Ok(Action::Return)
}

fn log<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.len() < 2 {
        return raise(ctx, "redis.log() requires two arguments or more.");
    }
    let level = match ferrous_lua::vm::ops::to_number(stack.get(0)) {
        Some(n) => n as i64,
        None => return raise(ctx, "First argument must be a number (log level)."),
    };
    let level = match level {
        0 => crate::log::Level::Debug,
        1 => crate::log::Level::Verbose,
        2 => crate::log::Level::Notice,
        3 => crate::log::Level::Warning,
        _ => return raise(ctx, "Invalid debug level."),
    };
    let mut text = Vec::new();
    for (i, v) in stack.as_slice()[1..].iter().enumerate() {
        let piece = match *v {
            Value::String(s) => s.as_bytes().to_vec(),
            Value::Number(n) => ferrous_lua::vm::ops::number_to_string(ctx, n)
                .as_bytes()
                .to_vec(),
            _ => continue,
        };
        if i > 0 {
            text.push(b' ');
        }
        text.extend_from_slice(&piece);
    }
    crate::log::log(level, 'M', &String::from_utf8_lossy(&text));
    stack.clear();
    Ok(Action::Return)
}

fn setresp<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.len() != 1 {
        return raise(ctx, "redis.setresp() requires one argument.");
    }
    let resp = ferrous_lua::vm::ops::to_number(stack.get(0)).unwrap_or(0.0) as i64;
    if resp != 2 && resp != 3 {
        return raise(ctx, "RESP version must be 2 or 3.");
    }
    let set = with_host(|host| host.run.resp3 = resp == 3);
    if set.is_none() {
        return raise(
            ctx,
            "redis.setresp can only be called inside a script invocation",
        );
    }
    stack.clear();
    Ok(Action::Return)
}

fn set_repl<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if with_host(|_| ()).is_none() {
        return raise(
            ctx,
            "redis.set_repl can only be called inside a script invocation",
        );
    }
    if stack.len() != 1 {
        return raise(ctx, "redis.set_repl() requires two arguments.");
    }
    let flags = ferrous_lua::vm::ops::to_number(stack.get(0)).unwrap_or(0.0) as i64;
    if flags & !3 != 0 {
        return raise(
            ctx,
            "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
        );
    }
    with_host(|host| host.run.repl_flags = flags as u8);
    stack.clear();
    Ok(Action::Return)
}

fn replicate_commands<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    stack.replace(&[Value::Boolean(true)]);
    Ok(Action::Return)
}

fn breakpoint<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    stack.replace(&[Value::Boolean(ldb::breakpoint())]);
    Ok(Action::Return)
}

fn debug<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    ldb::debug(stack.as_slice());
    stack.clear();
    Ok(Action::Return)
}

/// The global `pcall`: like Lua's, but an error table with a string `err` field is handed back as
/// that string (`luaRedisPcall`).
fn pcall<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.is_empty() {
        return Err(NativeError::bad_argument(1, "value expected"));
    }
    let f = stack.get(0);
    stack.drain_front(1);
    Ok(Action::Call {
        function: f,
        keep: 0,
        then: Some(Continuation::catching(pcall_done, Value::Nil)),
    })
}

fn pcall_done<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    match outcome {
        Ok(()) => stack.insert(0, Value::Boolean(true)),
        Err(e) => {
            let e = match e {
                Value::Table(t) => string_field(ctx, t, "err").map_or(e, |s| ctx.str(s)),
                e => e,
            };
            stack.replace(&[Value::Boolean(false), e]);
        }
    }
    Ok(Action::Return)
}

/// The globals' `__index`: reading an undeclared global is an error.
pub fn undeclared_global<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.len() != 2 {
        return Err(NativeError::runtime(
            "Wrong number of arguments to luaProtectedTableError",
        ));
    }
    let name = match stack.get(1) {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Number(n) => ferrous_lua::vm::ops::number_to_string(ctx, n)
            .as_bytes()
            .to_vec(),
        _ => {
            return Err(NativeError::runtime(
                "Second argument to luaProtectedTableError must be a string or number",
            ))
        }
    };
    let mut msg = b"Script attempted to access nonexistent global variable '".to_vec();
    msg.extend_from_slice(&name);
    msg.push(b'\'');
    Err(NativeError::runtime(msg))
}

thread_local! {
    /// `redisLrand48`'s 48-bit state (starting as `lrand48`'s default), shared by every
    /// scripting state like Redis's C static: not reset between scripts.
    static RAND48: Cell<u64> = const { Cell::new(0x1234_ABCD_330E) };
}

/// The `math.random` state of this thread (a forked debugging session starts from its parent's,
/// as a `fork()` child would).
pub fn rand_state() -> u64 {
    RAND48.with(Cell::get)
}

/// Sets the `math.random` state of this thread.
pub fn set_rand_state(state: u64) {
    RAND48.with(|x| x.set(state));
}

/// `redisLrand48`: the 48-bit linear congruential generator of `lrand48`.
fn lrand48() -> i32 {
    RAND48.with(|x| {
        let next = (x.get().wrapping_mul(0x5_DEEC_E66D).wrapping_add(0xB)) & 0xFFFF_FFFF_FFFF;
        x.set(next);
        (next >> 17) as i32
    })
}

fn random<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    const MAX: i32 = i32::MAX;
    let r = (lrand48() % MAX) as f64 / MAX as f64;
    let v = match stack.len() {
        0 => r,
        1 => {
            let u = ferrous_lua::stdlib::args::check_integer(stack, 0)?;
            if u < 1 {
                return Err(NativeError::bad_argument(1, "interval is empty"));
            }
            (r * u as f64).floor() + 1.0
        }
        2 => {
            let l = ferrous_lua::stdlib::args::check_integer(stack, 0)?;
            let u = ferrous_lua::stdlib::args::check_integer(stack, 1)?;
            if l > u {
                return Err(NativeError::bad_argument(2, "interval is empty"));
            }
            (r * (u - l + 1) as f64).floor() + l as f64
        }
        _ => return Err(NativeError::runtime("wrong number of arguments")),
    };
    stack.replace(&[Value::Number(v)]);
    Ok(Action::Return)
}

fn randomseed<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let seed = ferrous_lua::stdlib::args::check_integer(stack, 0)? as i32 as u32 as u64;
    RAND48.with(|x| x.set((seed << 16) | 0x330E));
    stack.clear();
    Ok(Action::Return)
}
