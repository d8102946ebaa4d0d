//! The base library (`lbaselib.c`): `print`, `pcall`, `error`, `tostring`, `next`, `pairs` and the
//! rest. Functions that run Lua code (`pcall`, `xpcall`, `tostring` with `__tostring`, `print`,
//! `load` with a reader, `dofile`) return call actions with continuations; none re-enters the VM.

use gc_arena::Gc;

use crate::callback::{Action, Catch, Continuation, NativeError, NativeResult, Stack};
use crate::function::{LuaClosure, NativeClosure};
use crate::lua::load_function;
use crate::string::LuaString;
use crate::table::Table;
use crate::text::number::parse_integer_base;
use crate::userdata::UserData;
use crate::value::Value;
use crate::vm::frame::Frame;
use crate::vm::meta::Event;
use crate::vm::{ops, Ctx};

use super::args::*;
use super::{output, register};

/// Installs the base functions in the globals.
pub fn open<'gc>(ctx: Ctx<'gc>) {
    let g = ctx.globals();
    register(
        ctx,
        g,
        &[
            ("assert", assert),
            ("collectgarbage", collectgarbage),
            ("dofile", dofile),
            ("error", error),
            ("gcinfo", gcinfo),
            ("getfenv", getfenv),
            ("getmetatable", getmetatable),
            ("load", load),
            ("loadfile", loadfile),
            ("loadstring", loadstring),
            ("next", next),
            ("pcall", pcall),
            ("print", print),
            ("rawequal", rawequal),
            ("rawget", rawget),
            ("rawset", rawset),
            ("select", select),
            ("setfenv", setfenv),
            ("setmetatable", setmetatable),
            ("tonumber", tonumber),
            ("tostring", tostring),
            ("type", type_),
            ("unpack", unpack),
            ("xpcall", xpcall),
        ],
    );
    let set = |name: &str, v: Value<'gc>| {
        let _ = g.set(ctx.mc, ctx.str(name), v);
    };
    set("_G", Value::Table(g));
    set("_VERSION", ctx.str("Lua 5.1"));
    let next_fn = g.get_str(ctx.intern(b"next"));
    set(
        "pairs",
        NativeClosure::function(ctx.mc, "pairs", pairs, vec![next_fn]),
    );
    let iter = NativeClosure::function(ctx.mc, "ipairs_iterator", ipairs_iterator, vec![]);
    set(
        "ipairs",
        NativeClosure::function(ctx.mc, "ipairs", ipairs, vec![iter]),
    );
    let weak = Table::new(ctx.mc);
    set(
        "newproxy",
        NativeClosure::function(ctx.mc, "newproxy", newproxy, vec![Value::Table(weak)]),
    );
}

/// The `tostring` of a value without metamethods (`luaL_tolstring`'s default part).
pub fn tostring_plain<'gc>(ctx: Ctx<'gc>, v: Value<'gc>) -> LuaString<'gc> {
    match v {
        Value::String(s) => s,
        Value::Number(n) => ops::number_to_string(ctx, n),
        Value::Nil => ctx.intern(b"nil"),
        Value::Boolean(true) => ctx.intern(b"true"),
        Value::Boolean(false) => ctx.intern(b"false"),
        other => {
            let ptr = other.as_ptr().unwrap_or(std::ptr::null());
            ctx.intern(format!("{}: {:p}", other.type_name(), ptr).as_bytes())
        }
    }
}

fn print<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let tostring_fn = ctx.globals().get_str(ctx.intern(b"tostring"));
    let is_builtin = matches!(tostring_fn, Value::NativeFunction(f) if f.func as *const () == tostring as *const ());
    let n = stack.len();
    let plain = is_builtin
        && stack
            .as_slice()
            .iter()
            .all(|v| ops::metamethod_of(ctx, *v, Event::ToString).is_nil());
    if plain {
        let mut line = Vec::new();
        for (i, v) in stack.as_slice().iter().enumerate() {
            if i > 0 {
                line.push(b'\t');
            }
            match *v {
                Value::String(s) => line.extend_from_slice(until_nul(s.as_bytes())),
                Value::Number(n) => crate::text::number::format_number(n, &mut line),
                other => line.extend_from_slice(tostring_plain(ctx, other).as_bytes()),
            }
        }
        line.push(b'\n');
        output::write(&line);
        stack.clear();
        return Ok(Action::Return);
    }
    stack.push(tostring_fn);
    stack.push(Value::Number(0.0));
    print_next(ctx, stack, n)
}

/// Slow `print`: the window holds `[args.., tostring, converted count, converted..]`; converts the
/// next argument, or writes the line when all are converted.
fn print_next<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, n: usize) -> NativeResult<'gc> {
    let done = stack.len() - n - 2;
    if done == n {
        let mut line = Vec::new();
        for i in 0..n {
            if i > 0 {
                line.push(b'\t');
            }
            match stack.get(n + 2 + i) {
                Value::String(s) => line.extend_from_slice(until_nul(s.as_bytes())),
                other => {
                    ops::append_string(other, &mut line);
                }
            }
        }
        line.push(b'\n');
        output::write(&line);
        stack.clear();
        return Ok(Action::Return);
    }
    stack.set(n + 1, Value::Number(done as f64));
    let tostring_fn = stack.get(n);
    let keep = stack.len();
    stack.push(stack.get(done));
    Ok(Action::Call {
        function: tostring_fn,
        keep,
        then: Some(Continuation::new(print_continue, Value::Number(n as f64))),
    })
}

fn print_continue<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    state: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let (Value::Number(n), Value::Number(done)) = (state, stack.get(state_index(state) + 1)) else {
        unreachable!("print keeps its counts");
    };
    let (n, done) = (n as usize, done as usize);
    let result = n + 2 + done;
    if !matches!(stack.get(result), Value::String(_) | Value::Number(_)) {
        return Err(NativeError::runtime(
            "'tostring' must return a string to 'print'",
        ));
    }
    stack.resize(result + 1);
    print_next(ctx, stack, n)
}

fn state_index(state: Value<'_>) -> usize {
    match state {
        Value::Number(n) => n as usize,
        _ => 0,
    }
}

/// The part of a string C's `fputs` writes: up to the first NUL byte (5.1's `print` uses it).
fn until_nul(s: &[u8]) -> &[u8] {
    match s.iter().position(|&c| c == 0) {
        Some(i) => &s[..i],
        None => s,
    }
}

fn tostring<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = check_any(stack, 0)?;
    let tm = ops::metamethod_of(ctx, v, Event::ToString);
    if !tm.is_nil() {
        stack.resize(1);
        return Ok(Action::Call {
            function: tm,
            keep: 0,
            then: Some(Continuation::new(first_result, Value::Nil)),
        });
    }
    let s = tostring_plain(ctx, v);
    stack.replace(&[Value::String(s)]);
    Ok(Action::Return)
}

/// Continuation keeping exactly one result (like `lua_call(L, n, 1)`).
fn first_result<'gc>(
    _ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    stack.resize(1);
    Ok(Action::Return)
}

fn type_<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = check_any(stack, 0)?;
    stack.replace(&[ctx.str(v.type_name())]);
    Ok(Action::Return)
}

fn tonumber<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let base = opt_integer(stack, 1, 10)?;
    let result = if base == 10 {
        check_any(stack, 0)?;
        ops::to_number(stack.get(0))
    } else {
        let s = match stack.get(0) {
            Value::String(s) => s.as_bytes().to_vec(),
            Value::Number(n) => {
                let mut b = Vec::new();
                crate::text::number::format_number(n, &mut b);
                b
            }
            _ => return Err(NativeError::type_error(1, "string", stack.type_name_of(0))),
        };
        if !(2..=36).contains(&base) {
            return Err(NativeError::bad_argument(2, "base out of range"));
        }
        parse_integer_base(&s, base as u32)
    };
    stack.replace(&[result.map_or(Value::Nil, Value::Number)]);
    Ok(Action::Return)
}

fn pcall<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let f = check_any(stack, 0)?;
    stack.drain_front(1);
    Ok(Action::Call {
        function: f,
        keep: 0,
        then: Some(Continuation::catching(protected_done, Value::Nil)),
    })
}

fn xpcall<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    check_any(stack, 1)?;
    let f = stack.get(0);
    let handler = stack.get(1);
    stack.clear();
    Ok(Action::Call {
        function: f,
        keep: 0,
        then: Some(Continuation {
            func: protected_done,
            state: handler,
            catch: Catch::WithHandler,
        }),
    })
}

/// `pcall`/`xpcall` completion: `true, results...` or `false, error`.
fn protected_done<'gc>(
    _ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    match outcome {
        Ok(()) => stack.insert(0, Value::Boolean(true)),
        Err(e) => stack.replace(&[Value::Boolean(false), e]),
    }
    Ok(Action::Return)
}

fn error<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let level = opt_integer(stack, 1, 1)?;
    let v = stack.get(0);
    let text = match v {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        Value::Number(n) => {
            let mut b = Vec::new();
            crate::text::number::format_number(n, &mut b);
            Some(b)
        }
        _ => None,
    };
    match text {
        Some(message) if level > 0 => Err(NativeError::Located {
            message,
            level: level as u32,
        }),
        _ => Err(NativeError::Value(v)),
    }
}

fn assert<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = check_any(stack, 0)?;
    if v.is_truthy() {
        return Ok(Action::Return);
    }
    let message = match opt_string(ctx, stack, 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"assertion failed!".to_vec(),
    };
    Err(NativeError::runtime(message))
}

fn select<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let n = stack.len() as i64;
    if let Value::String(s) = stack.get(0) {
        if s.as_bytes().first() == Some(&b'#') {
            stack.replace(&[Value::Number((n - 1) as f64)]);
            return Ok(Action::Return);
        }
    }
    let mut i = check_integer(stack, 0)?;
    if i < 0 {
        i += n;
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(NativeError::bad_argument(1, "index out of range"));
    }
    stack.drain_front(i as usize);
    Ok(Action::Return)
}

fn rawget<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let k = check_any(stack, 1)?;
    stack.replace(&[t.get(k)]);
    Ok(Action::Return)
}

fn rawset<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let k = check_any(stack, 1)?;
    let v = check_any(stack, 2)?;
    if let Err(e) = t.set_checked(ctx.mc, k, v) {
        return Err(NativeError::Located {
            message: e.message().into(),
            level: 0,
        });
    }
    stack.resize(1);
    Ok(Action::Return)
}

fn rawequal<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let a = check_any(stack, 0)?;
    let b = check_any(stack, 1)?;
    stack.replace(&[Value::Boolean(a.raw_equal(b))]);
    Ok(Action::Return)
}

fn setmetatable<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let mt = match stack.get(1) {
        Value::Nil if stack.has(1) => None,
        Value::Table(mt) => Some(mt),
        _ => return Err(NativeError::bad_argument(2, "nil or table expected")),
    };
    if let Some(old) = t.metatable() {
        if !old.get_str(ctx.intern(b"__metatable")).is_nil() {
            return Err(NativeError::runtime("cannot change a protected metatable"));
        }
    }
    check_writable(t)?;
    t.set_metatable(ctx, mt);
    stack.resize(1);
    Ok(Action::Return)
}

fn getmetatable<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = check_any(stack, 0)?;
    let result = match ctx.metatable(v) {
        None => Value::Nil,
        Some(mt) => {
            let protected = mt.get_str(ctx.intern(b"__metatable"));
            if protected.is_nil() {
                Value::Table(mt)
            } else {
                protected
            }
        }
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

fn next<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    match t.next(stack.get(1)) {
        Ok(Some((k, v))) => stack.replace(&[k, v]),
        Ok(None) => stack.replace(&[Value::Nil]),
        Err(_) => {
            return Err(NativeError::Located {
                message: b"invalid key to 'next'".to_vec(),
                level: 0,
            })
        }
    }
    Ok(Action::Return)
}

fn pairs<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let next_fn = stack.upvalues()[0];
    stack.replace(&[next_fn, Value::Table(t), Value::Nil]);
    Ok(Action::Return)
}

fn ipairs<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let iter = stack.upvalues()[0];
    stack.replace(&[iter, Value::Table(t), Value::Number(0.0)]);
    Ok(Action::Return)
}

fn ipairs_iterator<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let i = check_integer(stack, 1)? + 1;
    let v = t.get_int(i);
    if v.is_nil() {
        stack.clear();
    } else {
        stack.replace(&[Value::Number(i as f64), v]);
    }
    Ok(Action::Return)
}

fn unpack<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let i = opt_integer(stack, 1, 1)?;
    let j = if stack.get(2).is_nil() {
        t.length() as i64
    } else {
        check_integer(stack, 2)?
    };
    stack.clear();
    if i > j {
        return Ok(Action::Return);
    }
    let n = (j as i128 - i as i128 + 1) as u128;
    if n >= i32::MAX as u128 || n as usize > crate::vm::call::MAX_NATIVE_RESULTS {
        return Err(NativeError::runtime("too many results to unpack"));
    }
    let data = t.data();
    for k in i..=j {
        stack.push(data.get_int(k));
    }
    Ok(Action::Return)
}

/// Loads `source` (text, or a binary chunk unless the state refuses bytecode) and leaves the
/// function (or `nil, message`) in the window.
fn load_result<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, source: &[u8], chunkname: &[u8]) {
    let loaded = if ctx.state.bytecode_allowed.get() {
        crate::dump::load_chunk(source, chunkname)
    } else {
        crate::compiler::compile(source, chunkname).map_err(|e| e.message)
    };
    match loaded {
        Ok(proto) => {
            let f = load_function(ctx, &std::rc::Rc::new(proto));
            stack.replace(&[f]);
        }
        Err(message) => stack.replace(&[Value::Nil, ctx.str(message)]),
    }
}

fn loadstring<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?;
    let name = opt_string(ctx, stack, 1)?.unwrap_or(s);
    load_result(ctx, stack, s.as_bytes(), name.as_bytes());
    Ok(Action::Return)
}

fn load<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let f = check_function(stack, 0)?;
    let name = opt_string(ctx, stack, 1)?.map_or(ctx.str("=(load)"), Value::String);
    stack.replace(&[f, name]);
    load_next_piece(stack)
}

/// `load` with a reader: the window holds `[reader, chunkname, pieces..]`.
fn load_next_piece<'gc>(stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let reader = stack.get(0);
    Ok(Action::Call {
        function: reader,
        keep: stack.len(),
        then: Some(Continuation::new(load_piece, Value::Nil)),
    })
}

fn load_piece<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let pieces = stack.len();
    let piece = stack.get(pieces - 1);
    let finished = match piece {
        Value::Nil => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    if !finished && !matches!(piece, Value::String(_)) {
        stack.replace(&[Value::Nil, ctx.str("reader function must return a string")]);
        return Ok(Action::Return);
    }
    if !finished {
        return load_next_piece(stack);
    }
    let mut source = Vec::new();
    for i in 2..pieces {
        if let Value::String(s) = stack.get(i) {
            source.extend_from_slice(s.as_bytes());
        }
    }
    let name = match stack.get(1) {
        Value::String(s) => s.as_bytes().to_vec(),
        _ => b"=(load)".to_vec(),
    };
    load_result(ctx, stack, &source, &name);
    Ok(Action::Return)
}

/// Reads a source file as `luaL_loadfile` does (a first line starting with `#` is skipped).
pub fn read_source_file(path: Option<&[u8]>) -> Result<(Vec<u8>, Vec<u8>), String> {
    use std::io::Read;
    let (mut data, chunkname) = match path {
        Some(p) => {
            let name = String::from_utf8_lossy(p).into_owned();
            let data = std::fs::read(&name)
                .map_err(|e| format!("cannot open {name}: {}", super::os_error_text(&e)))?;
            let mut chunk = b"@".to_vec();
            chunk.extend_from_slice(p);
            (data, chunk)
        }
        None => {
            let mut data = Vec::new();
            std::io::stdin()
                .read_to_end(&mut data)
                .map_err(|e| format!("cannot read stdin: {}", super::os_error_text(&e)))?;
            (data, b"=stdin".to_vec())
        }
    };
    let skipped = data.len() - crate::compiler::skip_shebang(&data).len();
    data.drain(..skipped);
    Ok((data, chunkname))
}

fn loadfile<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let path = opt_string(ctx, stack, 0)?.map(|s| s.as_bytes().to_vec());
    match read_source_file(path.as_deref()) {
        Ok((source, name)) => load_result(ctx, stack, &source, &name),
        Err(message) => stack.replace(&[Value::Nil, ctx.str(message)]),
    }
    Ok(Action::Return)
}

fn dofile<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let path = opt_string(ctx, stack, 0)?.map(|s| s.as_bytes().to_vec());
    let (source, name) = read_source_file(path.as_deref()).map_err(NativeError::runtime)?;
    let proto = crate::dump::load_chunk(&source, &name)
        .map_err(|message| NativeError::Value(ctx.str(message)))?;
    let f = load_function(ctx, &std::rc::Rc::new(proto));
    stack.clear();
    Ok(Action::Call {
        function: f,
        keep: 0,
        then: None,
    })
}

/// The closure running at `level` (1 = the caller of the native), as `getfenv`/`setfenv` see it.
/// `None` when there is no such level; `Some(None)` for a level with no function (a parked yield).
fn function_at_level<'gc>(stack: &Stack<'gc, '_>, level: i64) -> Option<Option<Value<'gc>>> {
    let frames = stack.frames();
    let index = frames.len() as i64 - 1 - level;
    if level < 0 || index < 0 {
        return None;
    }
    Some(match frames[index as usize] {
        Frame::Lua(f) => Some(Value::LuaFunction(f.closure)),
        Frame::Native(f) => Some(Value::NativeFunction(f.function)),
        Frame::Yielded { .. } => None,
    })
}

fn env_target<'gc>(stack: &Stack<'gc, '_>) -> Result<Option<Value<'gc>>, NativeError<'gc>> {
    let v = stack.get(0);
    if v.is_function() {
        return Ok(Some(v));
    }
    let level = match v {
        Value::Nil => 1,
        _ => check_integer(stack, 0)?,
    };
    if level < 0 {
        return Err(NativeError::bad_argument(1, "level must be non-negative"));
    }
    if level == 0 {
        return Ok(None);
    }
    function_at_level(stack, level).ok_or_else(|| NativeError::bad_argument(1, "invalid level"))
}

fn getfenv<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let env = match env_target(stack)? {
        Some(Value::LuaFunction(f)) => Value::Table(f.env.get()),
        Some(Value::NativeFunction(f)) => Value::Table(f.env.get().unwrap_or(ctx.globals())),
        _ => Value::Table(ctx.globals()),
    };
    stack.replace(&[env]);
    Ok(Action::Return)
}

fn setfenv<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let Value::Table(env) = stack.get(1) else {
        return Err(NativeError::type_error(2, "table", stack.type_name_of(1)));
    };
    match env_target(stack)? {
        Some(Value::LuaFunction(f)) => {
            gc_arena::barrier::unlock!(Gc::write(ctx.mc, f), LuaClosure, env).set(env);
            stack.replace(&[Value::LuaFunction(f)]);
        }
        None => {
            stack.clear();
        }
        _ => {
            return Err(NativeError::runtime(
                "'setfenv' cannot change environment of given object",
            ))
        }
    }
    Ok(Action::Return)
}

/// Kilobytes in use, as `collectgarbage("count")` reports them.
pub fn memory_in_use_kb(ctx: Ctx<'_>) -> f64 {
    let objects = ctx.mc.metrics().total_gc_count() as f64 * crate::heap::BYTES_PER_OBJECT;
    (objects + crate::heap::external_bytes() as f64) / 1024.0
}

fn collectgarbage<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    const OPTIONS: [&str; 7] = [
        "stop",
        "restart",
        "collect",
        "count",
        "step",
        "setpause",
        "setstepmul",
    ];
    let option = check_option(ctx, stack, 0, Some("collect"), &OPTIONS)?;
    let arg = opt_integer(stack, 1, 0)?;
    let result = match OPTIONS[option] {
        "count" => Value::Number(memory_in_use_kb(ctx)),
        "collect" => {
            ctx.state.request_collection();
            Value::Number(0.0)
        }
        "step" => {
            // A step of size 0 is one increment of work, which the automatic collector already
            // does between slices; it rarely ends a cycle. A sized step is taken as a full cycle.
            if arg > 0 {
                ctx.state.request_collection();
            }
            Value::Boolean(arg > 0)
        }
        "setpause" => Value::Number(ctx.state.swap_gc_setting(0, arg) as f64),
        "setstepmul" => Value::Number(ctx.state.swap_gc_setting(1, arg) as f64),
        _ => Value::Number(0.0),
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

fn gcinfo<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    stack.replace(&[Value::Number(memory_in_use_kb(ctx).floor())]);
    Ok(Action::Return)
}

fn newproxy<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let Value::Table(valid) = stack.upvalues()[0] else {
        unreachable!("newproxy keeps its table of metatables");
    };
    let proxy = UserData::new(ctx.mc, Box::new(()));
    match stack.get(0) {
        Value::Nil | Value::Boolean(false) => {}
        Value::Boolean(true) => {
            let mt = Table::new(ctx.mc);
            let _ = valid.set(ctx.mc, Value::Table(mt), Value::Boolean(true));
            proxy.set_metatable(ctx, Some(mt));
        }
        other => {
            let mt = ctx
                .metatable(other)
                .filter(|mt| valid.get(Value::Table(*mt)).is_truthy());
            match mt {
                Some(mt) => proxy.set_metatable(ctx, Some(mt)),
                None => return Err(NativeError::bad_argument(1, "boolean or proxy expected")),
            }
        }
    }
    stack.replace(&[Value::UserData(proxy)]);
    Ok(Action::Return)
}
