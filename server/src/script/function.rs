//! `FUNCTION LOAD/DELETE/FLUSH/LIST/STATS/DUMP/RESTORE/KILL/HELP` and `FCALL`/`FCALL_RO`.
//!
//! A library is Lua code with a `#!lua name=<lib>` first line; loading runs it once with a
//! restricted `redis` table whose `register_function` collects the library's functions (name,
//! callback, flags, description) into a table held as the native's upvalue. The callbacks are
//! then kept as handles and called by `FCALL` with the `KEYS` and `ARGV` arrays as arguments.
//! Key decision: libraries live in their own Lua state (as in Redis), separate from `EVAL`'s.

use super::convert::string_field;
use super::engine::{set_protected_global, Engine, Handle};
use super::eval::{check_flags, kill, numkeys};
use super::flags::Flags;
use super::host::{lend, Host};
use super::lib::error_table;
use super::run::{invoke, Invocation, ScriptRun};
use crate::cmd::errors::CmdError;
use crate::cmd::{args, CmdResult, Ctx};
use crate::net::client::ClientState;
use crate::resp::Reply;
use ferrous_lua::callback::{Action, Catch, Continuation, NativeError, NativeResult, Stack};
use ferrous_lua::function::NativeClosure;
use ferrous_lua::lua::results;
use ferrous_lua::table::Table;
use ferrous_lua::vm::Ctx as LuaCtx;
use ferrous_lua::{CallStatus, Value};
use std::collections::{BTreeMap, HashMap};

/// A registered function.
pub struct Function {
    /// Its library.
    pub library: String,
    /// The callback.
    pub func: Handle,
    /// `flags={...}`.
    pub flags: Flags,
    /// `description=...`.
    pub description: Option<Vec<u8>>,
}

/// A loaded library.
pub struct Library {
    /// The code as loaded (with its shebang line).
    pub code: Vec<u8>,
    /// Its functions' names, in registration order.
    pub functions: Vec<String>,
}

/// Libraries, functions, and the Lua state they live in.
#[derive(Default)]
pub struct Functions {
    engine: Option<Engine>,
    libraries: BTreeMap<String, Library>,
    functions: HashMap<String, Function>,
}

fn err(text: impl Into<String>) -> CmdError {
    CmdError::owned(format!("ERR {}", text.into()))
}

fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

const NAME_RULES: &str =
    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// Reads `#!lua name=<lib>`: the library name and the shebang length.
fn parse_metadata(code: &[u8]) -> Result<(String, usize), CmdError> {
    if !code.starts_with(b"#!") {
        return Err(err("Missing library metadata"));
    }
    let end = code
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| err("Invalid metadata"))?;
    let mut parts = code[..end]
        .split(|b| b.is_ascii_whitespace())
        .filter(|p| !p.is_empty());
    let engine = &parts.next().unwrap_or_default()[2..];
    if !engine.eq_ignore_ascii_case(b"lua") {
        return Err(err(format!(
            "Engine '{}' not found",
            String::from_utf8_lossy(engine)
        )));
    }
    let mut name = None;
    for p in parts {
        match p.strip_prefix(b"name=") {
            Some(n) => name = Some(n),
            None => {
                return Err(err(format!(
                    "Invalid metadata value given: {}",
                    String::from_utf8_lossy(p)
                )))
            }
        }
    }
    let name = name.ok_or_else(|| err("Library name was not given"))?;
    if !valid_name(name) {
        return Err(err(NAME_RULES));
    }
    Ok((String::from_utf8_lossy(name).into_owned(), end))
}

/// `FUNCTION LOAD [REPLACE] code`.
pub fn function_load(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (replace, code) = match argv.len() {
        3 => (false, &argv[2]),
        4 if args::is(&argv[2], "REPLACE") => (true, &argv[3]),
        _ => {
            return Err(err(format!(
                "Unknown option given: {}",
                String::from_utf8_lossy(&argv[2])
            )))
        }
    };
    let name = load_library(cx, code, replace)?;
    cx.out.bulk(name.as_bytes());
    Ok(())
}

/// Loads (or replaces) a library; returns its name.
fn load_library(cx: &mut Ctx, code: &[u8], replace: bool) -> Result<String, CmdError> {
    let (name, shebang) = parse_metadata(code)?;
    let f = &mut cx.server.scripting.functions;
    if f.libraries.contains_key(&name) && !replace {
        return Err(err(format!("Library '{name}' already exists")));
    }
    let mut engine = f.engine.take().unwrap_or_default();
    let collected = run_library(cx, &mut engine, &code[shebang..]);
    let f = &mut cx.server.scripting.functions;
    f.engine = Some(engine);
    let collected = collected?;
    if collected.is_empty() {
        return Err(err("No functions registered"));
    }
    for (fname, _) in &collected {
        if f.functions
            .get(fname)
            .is_some_and(|old| old.library != name)
        {
            return Err(err(format!("Function {fname} already exists")));
        }
    }
    if let Some(old) = f.libraries.remove(&name) {
        for fname in old.functions {
            f.functions.remove(&fname);
        }
    }
    let mut names = Vec::new();
    for (fname, mut function) in collected {
        function.library = name.clone();
        names.push(fname.clone());
        f.functions.insert(fname, function);
    }
    f.libraries.insert(
        name.clone(),
        Library {
            code: code.to_vec(),
            functions: names,
        },
    );
    Ok(name)
}

/// Compiles and runs library code with the load-time `redis` table; returns what it registered.
fn run_library(
    cx: &mut Ctx,
    engine: &mut Engine,
    body: &[u8],
) -> Result<Vec<(String, Function)>, CmdError> {
    let func = engine
        .compile(body, b"@user_function")
        .map_err(|e| err(format!("Error compiling function: {e}")))?;
    let mut run = ScriptRun {
        client: ClientState {
            db: cx.client.db,
            authenticated: true,
            script: true,
            ..ClientState::default()
        },
        scratch: Reply::new(),
        argv: Vec::new(),
        names: Default::default(),
        resp3: false,
        read_only: true,
        repl_flags: 0,
    };
    let handler = &engine.handler;
    let lua = &mut engine.lua;
    let collector = lua.mutate(|ctx| Engine::stash(ctx, Value::Table(Table::new(ctx.mc))));
    let mut host = Host {
        server: cx.server,
        run: &mut run,
    };
    let mut status = lend(&mut host, || {
        lua.start(|ctx| {
            let full = ctx.globals().get_str(ctx.intern(b"redis"));
            let collect = Engine::fetch(ctx, &collector);
            set_protected_global(ctx, "redis", load_api(ctx, collect));
            let f = Engine::fetch(ctx, &func);
            let h = Engine::fetch(ctx, handler);
            let runner = NativeClosure::function(ctx.mc, "loader", loader, Vec::new());
            (runner, vec![h, f, full])
        })
    });
    while status == CallStatus::Pending {
        status = lend(&mut host, || lua.resume(1 << 16));
    }
    lua.mutate(|ctx| {
        let r = results(ctx);
        if let Some(&full) = r.get(1) {
            set_protected_global(ctx, "redis", full);
        }
        if !r.first().is_some_and(|v| v.is_truthy()) {
            let msg = match r.get(2) {
                Some(Value::Table(t)) => string_field(ctx, *t, "err")
                    .map(|m| String::from_utf8_lossy(m).into_owned())
                    .unwrap_or_default(),
                _ => "ERR unknown error".into(),
            };
            return Err(err(format!("Error registering functions: {msg}")));
        }
        Ok(collected_functions(ctx, &collector))
    })
}

/// Runs the library body (window: handler, body, full redis table) under the error handler;
/// returns `true, redis` or `false, redis, error`.
fn loader<'gc>(_: LuaCtx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let handler = stack.get(0);
    let f = stack.get(1);
    let full = stack.get(2);
    stack.replace(&[full]);
    Ok(Action::Call {
        function: f,
        keep: 1,
        then: Some(Continuation {
            func: loader_done,
            state: handler,
            catch: Catch::WithHandler,
        }),
    })
}

fn loader_done<'gc>(
    _: LuaCtx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let full = stack.get(0);
    match outcome {
        Ok(()) => stack.replace(&[Value::Boolean(true), full]),
        Err(e) => stack.replace(&[Value::Boolean(false), full, e]),
    }
    Ok(Action::Return)
}

/// The `redis` table library code sees while loading.
fn load_api<'gc>(ctx: LuaCtx<'gc>, collector: Value<'gc>) -> Value<'gc> {
    let api = Table::new(ctx.mc);
    let reg = NativeClosure::function(
        ctx.mc,
        "register_function",
        register_function,
        vec![collector],
    );
    let _ = api.set(ctx.mc, ctx.str("register_function"), reg);
    if let Value::Table(full) = ctx.globals().get_str(ctx.intern(b"redis")) {
        for name in [
            "log",
            "LOG_DEBUG",
            "LOG_VERBOSE",
            "LOG_NOTICE",
            "LOG_WARNING",
            "REDIS_VERSION",
            "REDIS_VERSION_NUM",
        ] {
            let _ = api.set(
                ctx.mc,
                ctx.str(name),
                full.get_str(ctx.intern(name.as_bytes())),
            );
        }
    }
    let mt = Table::new(ctx.mc);
    ferrous_lua::stdlib::register(ctx, mt, &[("__index", super::lib::undeclared_global)]);
    api.set_metatable(ctx, Some(mt));
    api.set_readonly(ctx.mc, true);
    Value::Table(api)
}

fn raise<'gc>(ctx: LuaCtx<'gc>, text: &str) -> NativeResult<'gc> {
    Err(NativeError::Value(error_table(ctx, text.as_bytes())))
}

/// `redis.register_function(name, callback)` or `redis.register_function{function_name=...,
/// callback=..., flags={...}, description=...}`.
pub fn register_function<'gc>(ctx: LuaCtx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let Some(&Value::Table(collector)) = stack.upvalues().first() else {
        return raise(
            ctx,
            "redis.register_function can only be called on FUNCTION LOAD command",
        );
    };
    let (name, callback, flags, description) = match stack.len() {
        1 => match stack.get(0) {
            Value::Table(t) => named_args(ctx, t)?,
            _ => return raise(ctx, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."),
        },
        2 => {
            let name = match stack.get(0) {
                Value::String(s) => s,
                Value::Number(n) => ferrous_lua::vm::ops::number_to_string(ctx, n),
                _ => {
                    return raise(
                        ctx,
                        "first argument to redis.register_function must be a string",
                    )
                }
            };
            let cb = stack.get(1);
            if !cb.is_function() {
                return raise(ctx, "second argument to redis.register_function must be a function");
            }
            (name.as_bytes(), cb, Value::Nil, Value::Nil)
        }
        _ => return raise(ctx, "wrong number of arguments to redis.register_function"),
    };
    if !valid_name(name) {
        return raise(ctx, NAME_RULES);
    }
    let key = ctx.str(name);
    if !collector.get(key).is_nil() {
        return raise(ctx, "Function already exists in the library");
    }
    let entry = Table::new(ctx.mc);
    entry.set_int(ctx.mc, 1, callback);
    entry.set_int(ctx.mc, 2, flags);
    entry.set_int(ctx.mc, 3, description);
    entry.set_int(ctx.mc, 4, Value::Number(collector.length() as f64));
    let _ = collector.set(ctx.mc, key, Value::Table(entry));
    let _ = collector.set(ctx.mc, Value::Number((collector.length() + 1) as f64), key);
    stack.clear();
    Ok(Action::Return)
}

type Registration<'gc> = (&'gc [u8], Value<'gc>, Value<'gc>, Value<'gc>);

fn named_args<'gc>(ctx: LuaCtx<'gc>, t: Table<'gc>) -> Result<Registration<'gc>, NativeError<'gc>> {
    let (mut name, mut callback, mut flags, mut description) =
        (None, Value::Nil, Value::Nil, Value::Nil);
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = t.next(key) {
        key = k;
        let field = match k {
            Value::String(s) => s.as_bytes(),
            _ => b"",
        };
        match field {
            b"function_name" => {
                match v {
                    Value::String(s) => name = Some(s.as_bytes()),
                    _ => return Err(NativeError::Value(error_table(
                        ctx,
                        b"function_name argument given to redis.register_function must be a string",
                    ))),
                }
            }
            b"description" => {
                match v {
                    Value::String(_) => description = v,
                    _ => return Err(NativeError::Value(error_table(
                        ctx,
                        b"description argument given to redis.register_function must be a string",
                    ))),
                }
            }
            b"callback" if v.is_function() => callback = v,
            b"callback" => {
                return Err(NativeError::Value(error_table(
                    ctx,
                    b"callback argument given to redis.register_function must be a function",
                )))
            }
            b"flags" => flags = parse_flags(ctx, v)?,
            _ => {
                return Err(NativeError::Value(error_table(
                    ctx,
                    b"unknown argument given to redis.register_function",
                )))
            }
        }
    }
    let Some(name) = name else {
        return Err(NativeError::Value(error_table(
            ctx,
            b"redis.register_function must get a function name argument",
        )));
    };
    if callback.is_nil() {
        return Err(NativeError::Value(error_table(
            ctx,
            b"redis.register_function must get a callback argument",
        )));
    }
    Ok((name, callback, flags, description))
}

/// Validates `flags={...}` and returns them as one comma-separated string.
fn parse_flags<'gc>(ctx: LuaCtx<'gc>, v: Value<'gc>) -> Result<Value<'gc>, NativeError<'gc>> {
    let Value::Table(t) = v else {
        return Err(NativeError::Value(error_table(ctx, b"flags argument to redis.register_function must be a table representing function flags")));
    };
    let mut words = Vec::new();
    for i in 1..=t.length() as i64 {
        let word = match t.get_int(i) {
            Value::String(s) => s.as_bytes(),
            _ => return Err(NativeError::Value(error_table(ctx, b"unknown flag given"))),
        };
        if !Flags::default().set(word) {
            return Err(NativeError::Value(error_table(ctx, b"unknown flag given")));
        }
        words.push(word.to_vec());
    }
    Ok(ctx.str(words.join(&b',')))
}

/// The functions `register_function` collected, in registration order.
fn collected_functions(ctx: LuaCtx<'_>, collector: &Handle) -> Vec<(String, Function)> {
    let Value::Table(t) = Engine::fetch(ctx, collector) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 1..=t.length() as i64 {
        let key = t.get_int(i);
        let (Value::String(name), Value::Table(entry)) = (key, t.get(key)) else {
            continue;
        };
        let mut flags = Flags::default();
        if let Value::String(s) = entry.get_int(2) {
            for w in s.as_bytes().split(|&b| b == b',') {
                flags.set(w);
            }
        }
        let description = match entry.get_int(3) {
            Value::String(s) => Some(s.as_bytes().to_vec()),
            _ => None,
        };
        out.push((
            name.to_str_lossy().into_owned(),
            Function {
                library: String::new(),
                func: Engine::stash(ctx, entry.get_int(1)),
                flags,
                description,
            },
        ));
    }
    out
}

/// `FCALL function numkeys [key ...] [arg ...]`.
pub fn fcall(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    fcall_generic(cx, argv, false)
}

/// `FCALL_RO`.
pub fn fcall_ro(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    fcall_generic(cx, argv, true)
}

fn fcall_generic(cx: &mut Ctx, argv: &[Vec<u8>], ro: bool) -> CmdResult {
    let n = numkeys(argv)?;
    let name = String::from_utf8_lossy(&argv[1]).into_owned();
    let f = &mut cx.server.scripting.functions;
    let Some(function) = f.functions.get(&name) else {
        return Err(err("Function not found"));
    };
    let read_only = check_flags(function.flags, ro)?;
    let func = function.func.clone();
    let Some(mut engine) = f.engine.take() else {
        return Err(err("Function not found"));
    };
    let result = invoke(
        cx,
        &mut engine,
        Invocation {
            name: &name,
            func: &func,
            keys: &argv[3..3 + n],
            args: &argv[3 + n..],
            read_only,
            function: true,
            argv,
        },
    );
    cx.server.scripting.functions.engine = Some(engine);
    result
}

/// `FUNCTION DELETE library`.
pub fn function_delete(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let f = &mut cx.server.scripting.functions;
    let name = String::from_utf8_lossy(&argv[2]).into_owned();
    let lib = f
        .libraries
        .remove(&name)
        .ok_or_else(|| err("Library not found"))?;
    for fname in lib.functions {
        f.functions.remove(&fname);
    }
    cx.out.ok();
    Ok(())
}

/// `FUNCTION FLUSH [ASYNC|SYNC]`.
pub fn function_flush(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    match argv.get(2) {
        None => {}
        Some(a) if argv.len() == 3 && (args::is(a, "ASYNC") || args::is(a, "SYNC")) => {}
        Some(_) => return Err(err("FUNCTION FLUSH only supports SYNC|ASYNC option")),
    }
    cx.server.scripting.functions = Functions::default();
    cx.out.ok();
    Ok(())
}

/// `FUNCTION KILL`.
pub fn function_kill(cx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    kill(cx, true)
}

/// `FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]`.
pub fn function_list(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 2;
    while i < argv.len() {
        if args::is(&argv[i], "WITHCODE") && !with_code {
            with_code = true;
        } else if args::is(&argv[i], "LIBRARYNAME") && pattern.is_none() {
            i += 1;
            pattern = Some(
                argv.get(i)
                    .ok_or_else(|| err("library name argument was not given"))?,
            );
        } else {
            return Err(err(format!(
                "Unknown argument {}",
                String::from_utf8_lossy(&argv[i])
            )));
        }
        i += 1;
    }
    let f = &cx.server.scripting.functions;
    let libs: Vec<(&String, &Library)> = f
        .libraries
        .iter()
        .filter(|(name, _)| {
            pattern.is_none_or(|p| crate::db::glob::glob_match(p, name.as_bytes(), false))
        })
        .collect();
    let out = &mut *cx.out;
    out.array(libs.len());
    for (name, lib) in libs {
        out.map(if with_code { 4 } else { 3 });
        out.bulk(b"library_name");
        out.bulk(name.as_bytes());
        out.bulk(b"engine");
        out.bulk(b"LUA");
        out.bulk(b"functions");
        out.array(lib.functions.len());
        for fname in &lib.functions {
            let Some(function) = f.functions.get(fname) else {
                out.null();
                continue;
            };
            out.map(3);
            out.bulk(b"name");
            out.bulk(fname.as_bytes());
            out.bulk(b"description");
            out.bulk_opt(function.description.as_deref());
            out.bulk(b"flags");
            let names = function.flags.names();
            out.set(names.len());
            for n in names {
                out.simple(n);
            }
        }
        if with_code {
            out.bulk(b"library_code");
            out.bulk(&lib.code);
        }
    }
    Ok(())
}

/// `FUNCTION STATS`.
pub fn function_stats(cx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let s = &cx.server.scripting;
    let out = &mut *cx.out;
    out.map(2);
    out.bulk(b"running_script");
    match &s.running {
        Some(r) if r.function => {
            out.map(3);
            out.bulk(b"name");
            out.bulk(r.name.as_bytes());
            out.bulk(b"command");
            out.array(r.command.len());
            for a in &r.command {
                out.bulk(a);
            }
            out.bulk(b"duration_ms");
            out.int(r.started.elapsed().as_millis() as i64);
        }
        _ => out.null(),
    }
    out.bulk(b"engines");
    out.map(1);
    out.bulk(b"LUA");
    out.map(2);
    out.bulk(b"libraries_count");
    out.int(s.functions.libraries.len() as i64);
    out.bulk(b"functions_count");
    out.int(s.functions.functions.len() as i64);
    Ok(())
}

/// `FUNCTION DUMP`: the libraries in Redis's payload format (RDB `FUNCTION2` records, code
/// LZF-compressed per `rdbcompression`, RDB version, CRC64).
pub fn function_dump(cx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let mut payload = Vec::new();
    let compress = cx.server.config.flag(crate::config::D::rdbcompression);
    for lib in cx.server.scripting.functions.libraries.values() {
        payload.push(super::dump::OPCODE_FUNCTION2);
        super::dump::put_string(&mut payload, &lib.code, compress);
    }
    super::dump::seal(&mut payload);
    cx.out.bulk(&payload);
    Ok(())
}

/// `FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]`.
pub fn function_restore(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let policy = match argv.get(3) {
        None => "APPEND",
        Some(p) if argv.len() == 4 && args::is(p, "FLUSH") => "FLUSH",
        Some(p) if argv.len() == 4 && args::is(p, "APPEND") => "APPEND",
        Some(p) if argv.len() == 4 && args::is(p, "REPLACE") => "REPLACE",
        Some(_) => {
            return Err(err(
                "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
            ))
        }
    };
    let codes = super::dump::read_libraries(&argv[2])
        .ok_or_else(|| err("DUMP payload version or checksum are wrong"))?;
    let saved = std::mem::take(&mut cx.server.scripting.functions);
    if policy != "FLUSH" {
        for lib in saved.libraries.values() {
            let _ = load_library(cx, &lib.code, false);
        }
    }
    for code in &codes {
        if let Err(e) = load_library(cx, code, policy == "REPLACE") {
            cx.server.scripting.functions = saved;
            return Err(e);
        }
    }
    cx.out.ok();
    Ok(())
}
/// `FUNCTION HELP`.
pub fn function_help(cx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    const LINES: &[&str] = &[
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.array(LINES.len());
    for l in LINES {
        cx.out.simple(l);
    }
    Ok(())
}
