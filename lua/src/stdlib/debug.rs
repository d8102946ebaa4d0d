//! The `debug` library (`ldblib.c`): stack inspection (`getinfo`, `getlocal`, `traceback`...),
//! upvalues, metatables and environments of any value, the registry, hooks and `debug.debug`.
//!
//! Stack levels are numbered as `lua_getstack` does: level 0 is the innermost frame (the debug
//! function itself when inspecting the running thread), a frame entered by a tail call is followed
//! by a `(tail call)` pseudo-level, and the main thread ends with the host's C function (`[C]: ?`).
//! Any thread can be inspected: the running one through the native's window, the others by
//! borrowing their (idle) state.

use std::io::{BufRead, Write};

use gc_arena::Gc;

use crate::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use crate::function::{LuaClosure, NativeClosure, UpValueState};
use crate::lua::load_function;
use crate::table::Table;
use crate::text::number::format_number;
use crate::thread::{hook_mask, Thread};
use crate::userdata::UserDataData;
use crate::value::Value;
use crate::vm::frame::Frame;
use crate::vm::{debug, ops, Ctx};

use super::args::*;
use super::register;

/// Installs the library.
pub fn open(ctx: Ctx<'_>) {
    let t = Table::new(ctx.mc);
    register(
        ctx,
        t,
        &[
            ("debug", debug_),
            ("gethook", gethook),
            ("getinfo", getinfo),
            ("getlocal", getlocal),
            ("getmetatable", getmetatable),
            ("getregistry", getregistry),
            ("getupvalue", getupvalue),
            ("sethook", sethook),
            ("setlocal", setlocal),
            ("setmetatable", setmetatable),
            ("setupvalue", setupvalue),
            ("traceback", traceback),
        ],
    );
    let thread_envs = vec![Value::Table(Table::new(ctx.mc))];
    let getfenv = NativeClosure::function(ctx.mc, "getfenv", getfenv, thread_envs.clone());
    let setfenv = NativeClosure::function(ctx.mc, "setfenv", setfenv, thread_envs);
    let _ = t.set(ctx.mc, ctx.str("getfenv"), getfenv);
    let _ = t.set(ctx.mc, ctx.str("setfenv"), setfenv);
    let _ = ctx.globals().set(ctx.mc, ctx.str("debug"), Value::Table(t));
}

/// `name = value` in a result table.
fn set_field<'gc>(ctx: Ctx<'gc>, t: Table<'gc>, name: &str, value: Value<'gc>) {
    let _ = t.set(ctx.mc, ctx.str(name), value);
}

/// The optional leading thread argument (`getthread`): the thread, and how many arguments it
/// takes (0 or 1).
fn thread_arg<'gc>(stack: &Stack<'gc, '_>) -> (Option<Thread<'gc>>, usize) {
    match stack.get(0) {
        Value::Thread(t) => (Some(t), 1),
        _ => (None, 0),
    }
}

/// A thread's frames and stack values, read-only.
struct View<'a, 'gc> {
    frames: &'a [Frame<'gc>],
    values: &'a [Value<'gc>],
    /// The main thread has the host's C function below its first frame.
    main: bool,
}

/// Runs `f` on the frames of `thread` (the running one when `None`).
fn with_view<'gc, R>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    thread: Option<Thread<'gc>>,
    f: impl FnOnce(&View<'_, 'gc>) -> R,
) -> R {
    let main = ctx.state.main_thread;
    match thread {
        Some(t) if t != stack.thread => {
            let st = t.0.state.borrow();
            f(&View {
                frames: &st.frames,
                values: &st.stack,
                main: t == main,
            })
        }
        _ => f(&View {
            frames: stack.frames,
            values: stack.values,
            main: stack.thread == main,
        }),
    }
}

/// One stack level.
#[derive(Clone, Copy)]
enum Level {
    /// A frame, by index (innermost last).
    Frame(usize),
    /// Calls lost to tail calls.
    Tail,
    /// The C code that started the main thread.
    Host,
}

/// The levels of a thread, innermost first.
fn levels(view: &View<'_, '_>) -> Vec<Level> {
    let mut out = Vec::with_capacity(view.frames.len() + 1);
    for (i, frame) in view.frames.iter().enumerate().rev() {
        out.push(Level::Frame(i));
        if matches!(frame, Frame::Lua(f) if f.tail_call) {
            out.push(Level::Tail);
        }
    }
    if view.main {
        out.push(Level::Host);
    }
    out
}

/// Level `n` (`lua_getstack`: a negative level is taken for lost tail calls, as 5.1 does).
fn level_at(levels: &[Level], n: i64) -> Option<Level> {
    if n < 0 {
        return Some(Level::Tail);
    }
    usize::try_from(n).ok().and_then(|n| levels.get(n).copied())
}

/// The function running at a level.
#[derive(Clone, Copy)]
enum Callee<'gc> {
    Lua(Gc<'gc, LuaClosure<'gc>>),
    Native(Option<Gc<'gc, NativeClosure<'gc>>>),
    Tail,
}

impl<'gc> Callee<'gc> {
    fn of_value(v: Value<'gc>) -> Callee<'gc> {
        match v {
            Value::LuaFunction(f) => Callee::Lua(f),
            Value::NativeFunction(f) => Callee::Native(Some(f)),
            _ => Callee::Native(None),
        }
    }

    fn value(self) -> Value<'gc> {
        match self {
            Callee::Lua(f) => Value::LuaFunction(f),
            Callee::Native(Some(f)) => Value::NativeFunction(f),
            _ => Value::Nil,
        }
    }
}

/// What `getinfo` knows about an activation.
struct Activation<'gc> {
    callee: Callee<'gc>,
    /// -1 when unknown (natives, functions given by value).
    current_line: i64,
    /// `(namewhat, name)` when the call site names the function.
    name: Option<(&'static str, Vec<u8>)>,
}

fn activation<'gc>(view: &View<'_, 'gc>, level: Level) -> Activation<'gc> {
    let (callee, current_line, index) = match level {
        Level::Tail => (Callee::Tail, -1, None),
        Level::Host => (Callee::Native(None), -1, None),
        Level::Frame(i) => match &view.frames[i] {
            Frame::Lua(f) => {
                let line = debug::current_line(f).map_or(-1, i64::from);
                (Callee::Lua(f.closure), line, Some(i))
            }
            Frame::Native(f) => (Callee::Native(Some(f.function)), -1, Some(i)),
            Frame::Yielded { func, .. } => {
                let v = view.values.get(*func).copied().unwrap_or_default();
                (Callee::of_value(v), -1, Some(i))
            }
        },
    };
    Activation {
        callee,
        current_line,
        name: index.and_then(|i| debug::function_name(view.frames, i)),
    }
}

/// The `S` part of `getinfo` (`funcinfo`).
struct Source {
    source: Vec<u8>,
    short_src: Vec<u8>,
    line_defined: i64,
    last_line_defined: i64,
    what: &'static str,
}

fn source_of(callee: Callee<'_>) -> Source {
    match callee {
        Callee::Lua(f) => {
            let info = &f.proto.info;
            Source {
                source: info.source.to_vec(),
                short_src: f.proto.short_src.as_bytes().to_vec(),
                line_defined: info.line_defined.into(),
                last_line_defined: info.last_line_defined.into(),
                what: if info.line_defined == 0 {
                    "main"
                } else {
                    "Lua"
                },
            }
        }
        Callee::Native(_) => Source {
            source: b"=[C]".to_vec(),
            short_src: b"[C]".to_vec(),
            line_defined: -1,
            last_line_defined: -1,
            what: "C",
        },
        Callee::Tail => Source {
            source: b"=(tail call)".to_vec(),
            short_src: b"(tail call)".to_vec(),
            line_defined: -1,
            last_line_defined: -1,
            what: "tail",
        },
    }
}

/// The `getinfo` table for `options` (already validated).
fn info_table<'gc>(ctx: Ctx<'gc>, options: &[u8], act: &Activation<'gc>) -> Table<'gc> {
    let t = Table::new(ctx.mc);
    let num = |n: i64| Value::Number(n as f64);
    if options.contains(&b'S') {
        let s = source_of(act.callee);
        set_field(ctx, t, "source", ctx.str(&s.source));
        set_field(ctx, t, "short_src", ctx.str(&s.short_src));
        set_field(ctx, t, "linedefined", num(s.line_defined));
        set_field(ctx, t, "lastlinedefined", num(s.last_line_defined));
        set_field(ctx, t, "what", ctx.str(s.what));
    }
    if options.contains(&b'l') {
        set_field(ctx, t, "currentline", num(act.current_line));
    }
    if options.contains(&b'u') {
        let nups = match act.callee {
            Callee::Lua(f) => f.upvalues.len(),
            Callee::Native(Some(f)) => f.upvalues.len(),
            _ => 0,
        };
        set_field(ctx, t, "nups", num(nups as i64));
    }
    if options.contains(&b'n') {
        let (namewhat, name) = match (&act.name, act.callee) {
            (Some((what, name)), _) => (*what, ctx.str(name)),
            (None, Callee::Tail) => ("", ctx.str("")),
            (None, _) => ("", Value::Nil),
        };
        set_field(ctx, t, "name", name);
        set_field(ctx, t, "namewhat", ctx.str(namewhat));
    }
    if options.contains(&b'L') {
        if let Callee::Lua(f) = act.callee {
            let lines = Table::new(ctx.mc);
            for &line in &f.proto.info.line_info {
                lines.set_int(ctx.mc, line.into(), Value::Boolean(true));
            }
            set_field(ctx, t, "activelines", Value::Table(lines));
        }
    }
    if options.contains(&b'f') {
        set_field(ctx, t, "func", act.callee.value());
    }
    t
}

fn getinfo<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (thread, a) = thread_arg(stack);
    let options = match opt_string(ctx, stack, a + 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"flnSu".to_vec(),
    };
    let target = stack.get(a);
    let act = if let Some(n) = ops::to_number(target) {
        let found = with_view(ctx, stack, thread, |view| {
            level_at(&levels(view), number_to_integer(n)).map(|level| activation(view, level))
        });
        match found {
            Some(act) => act,
            None => {
                stack.replace(&[Value::Nil]);
                return Ok(Action::Return);
            }
        }
    } else if target.is_function() {
        Activation {
            callee: Callee::of_value(target),
            current_line: -1,
            name: None,
        }
    } else {
        return Err(NativeError::bad_argument(
            a + 1,
            "function or level expected",
        ));
    };
    if !options.iter().all(|c| b"SlnufL".contains(c)) {
        return Err(NativeError::bad_argument(a + 2, "invalid option"));
    }
    let t = info_table(ctx, &options, &act);
    stack.replace(&[Value::Table(t)]);
    Ok(Action::Return)
}

/// One traceback line for a level (`db_errorfb`'s loop body).
fn traceback_line(view: &View<'_, '_>, level: Level) -> Vec<u8> {
    let act = activation(view, level);
    let src = source_of(act.callee);
    let mut out = src.short_src.clone();
    out.push(b':');
    if act.current_line > 0 {
        out.extend_from_slice(format!("{}:", act.current_line).as_bytes());
    }
    match (&act.name, src.what) {
        (Some((_, name)), _) => {
            out.extend_from_slice(b" in function '");
            out.extend_from_slice(name);
            out.push(b'\'');
        }
        (None, "main") => out.extend_from_slice(b" in main chunk"),
        (None, "C" | "tail") => out.extend_from_slice(b" ?"),
        (None, _) => {
            out.extend_from_slice(b" in function <");
            out.extend_from_slice(&src.short_src);
            out.extend_from_slice(format!(":{}>", src.line_defined).as_bytes());
        }
    }
    out
}

/// Levels shown before a long traceback is cut (`LEVELS1`) and after the cut (`LEVELS2`).
const LEVELS_FIRST: i64 = 12;
const LEVELS_LAST: i64 = 10;

/// `stack traceback:` and the levels from `start` on, eliding the middle of long stacks.
fn traceback_text(view: &View<'_, '_>, start: i64) -> Vec<u8> {
    let levels = levels(view);
    let mut out = b"stack traceback:".to_vec();
    let mut level = start;
    let mut first_part = true;
    while let Some(current) = level_at(&levels, level) {
        level += 1;
        if level > LEVELS_FIRST && first_part {
            if level_at(&levels, level + LEVELS_LAST).is_none() {
                level -= 1;
            } else {
                out.extend_from_slice(b"\n\t...");
                while level_at(&levels, level + LEVELS_LAST).is_some() {
                    level += 1;
                }
            }
            first_part = false;
            continue;
        }
        out.extend_from_slice(b"\n\t");
        out.extend_from_slice(&traceback_line(view, current));
    }
    out
}

fn traceback<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (thread, a) = thread_arg(stack);
    let own = thread.is_none_or(|t| t == stack.thread);
    let level = ops::to_number(stack.get(a + 1));
    let start = match level {
        Some(n) => number_to_integer(n),
        None => i64::from(own),
    };
    let top = stack.len() - usize::from(level.is_some() && stack.len() > a + 1);
    let mut text = Vec::new();
    if top > a {
        match stack.get(a) {
            Value::String(s) => text.extend_from_slice(s.as_bytes()),
            Value::Number(n) => format_number(n, &mut text),
            other => {
                stack.replace(&[other]);
                return Ok(Action::Return);
            }
        }
        text.push(b'\n');
    }
    text.extend(with_view(ctx, stack, thread, |view| {
        traceback_text(view, start)
    }));
    stack.replace(&[ctx.str(text)]);
    Ok(Action::Return)
}

/// The stack slot and name of local `n` at `level` (`findlocal`): named locals of Lua functions,
/// then `(*temporary)` for other slots in use.
fn find_local(view: &View<'_, '_>, level: Level, n: i64) -> Option<(usize, Vec<u8>)> {
    let Level::Frame(i) = level else {
        return None;
    };
    let frame = &view.frames[i];
    let base = match frame {
        Frame::Lua(f) => f.base,
        Frame::Native(f) => f.base,
        Frame::Yielded { func, .. } => func + 1,
    };
    let index = usize::try_from(n).ok().filter(|&n| n > 0)?;
    if let Frame::Lua(f) = frame {
        if f.pc > 0 {
            if let Some(name) = debug::local_name(&f.closure.proto, index, f.pc - 1) {
                return Some((base + index - 1, name.to_vec()));
            }
        }
    }
    let limit = view
        .frames
        .get(i + 1)
        .map_or(view.values.len(), |next| next.func());
    (limit >= base && limit - base >= index).then(|| (base + index - 1, b"(*temporary)".to_vec()))
}

/// Finds local `n` of the level given at argument `a` (`level out of range` if there is none).
fn local_at<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    thread: Option<Thread<'gc>>,
    a: usize,
) -> Result<Option<(usize, Vec<u8>, Value<'gc>)>, NativeError<'gc>> {
    let level = check_integer(stack, a)?;
    let found = with_view(ctx, stack, thread, |view| level_at(&levels(view), level));
    let Some(level) = found else {
        return Err(NativeError::bad_argument(a + 1, "level out of range"));
    };
    let n = check_integer(stack, a + 1)?;
    Ok(with_view(ctx, stack, thread, |view| {
        find_local(view, level, n).map(|(slot, name)| {
            let value = view.values.get(slot).copied().unwrap_or_default();
            (slot, name, value)
        })
    }))
}

fn getlocal<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (thread, a) = thread_arg(stack);
    match local_at(ctx, stack, thread, a)? {
        Some((_, name, value)) => stack.replace(&[ctx.str(name), value]),
        None => stack.replace(&[Value::Nil]),
    }
    Ok(Action::Return)
}

fn setlocal<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (thread, a) = thread_arg(stack);
    let value = check_any(stack, a + 2)?;
    let result = match local_at(ctx, stack, thread, a)? {
        Some((slot, name, _)) => {
            match thread {
                Some(t) if t != stack.thread => {
                    if let Some(v) = t.state_mut(ctx.mc).stack.get_mut(slot) {
                        *v = value;
                    }
                }
                _ => {
                    if let Some(v) = stack.values.get_mut(slot) {
                        *v = value;
                    }
                }
            }
            ctx.str(name)
        }
        None => Value::Nil,
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

/// Upvalue `n` (1-based) of a Lua function: its name and cell. Natives show none (`auxupvalue`).
fn upvalue_at<'gc>(
    stack: &Stack<'gc, '_>,
) -> Result<Option<(Vec<u8>, crate::function::UpValue<'gc>)>, NativeError<'gc>> {
    let n = check_integer(stack, 1)?;
    check_function(stack, 0)?;
    let Value::LuaFunction(f) = stack.get(0) else {
        return Ok(None);
    };
    let names = &f.proto.info.upvalue_names;
    let found = usize::try_from(n)
        .ok()
        .filter(|&n| n >= 1 && n <= names.len() && n <= f.upvalues.len())
        .map(|n| (names[n - 1].to_vec(), f.upvalues[n - 1]));
    Ok(found)
}

fn getupvalue<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let Some((name, up)) = upvalue_at(stack)? else {
        stack.clear();
        return Ok(Action::Return);
    };
    let value = match up.get() {
        UpValueState::Closed(v) => v,
        UpValueState::Open(t, slot) if t == stack.thread => stack.values[slot],
        UpValueState::Open(t, slot) => t.0.state.borrow().stack[slot],
    };
    stack.replace(&[ctx.str(name), value]);
    Ok(Action::Return)
}

fn setupvalue<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let value = check_any(stack, 2)?;
    let Some((name, up)) = upvalue_at(stack)? else {
        stack.clear();
        return Ok(Action::Return);
    };
    match up.get() {
        UpValueState::Closed(_) => up.unlock(ctx.mc).set(UpValueState::Closed(value)),
        UpValueState::Open(t, slot) if t == stack.thread => stack.values[slot] = value,
        UpValueState::Open(t, slot) => t.state_mut(ctx.mc).stack[slot] = value,
    }
    stack.replace(&[ctx.str(name)]);
    Ok(Action::Return)
}

fn getmetatable<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = check_any(stack, 0)?;
    let mt = ctx.metatable(v).map_or(Value::Nil, Value::Table);
    stack.replace(&[mt]);
    Ok(Action::Return)
}

fn setmetatable<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let mt = match stack.get(1) {
        Value::Table(t) => Some(t),
        Value::Nil if stack.has(1) => None,
        _ => return Err(NativeError::bad_argument(2, "nil or table expected")),
    };
    match stack.get(0) {
        Value::Table(t) => t.set_metatable(ctx, mt),
        Value::UserData(u) => u.set_metatable(ctx, mt),
        other => ctx.set_type_metatable(other, mt),
    }
    stack.replace(&[Value::Boolean(true)]);
    Ok(Action::Return)
}

fn getregistry<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    stack.replace(&[Value::Table(ctx.state.registry)]);
    Ok(Action::Return)
}

/// The table of thread environments `getfenv`/`setfenv` keep as their upvalue.
fn thread_envs<'gc>(stack: &Stack<'gc, '_>) -> Table<'gc> {
    match stack.upvalues()[0] {
        Value::Table(t) => t,
        _ => unreachable!("getfenv and setfenv keep the thread environments"),
    }
}

fn getfenv<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let globals = ctx.globals();
    let env = match check_any(stack, 0)? {
        Value::LuaFunction(f) => Some(f.env.get()),
        Value::NativeFunction(f) => Some(f.env.get().unwrap_or(globals)),
        Value::UserData(u) => Some(u.0.env.get().unwrap_or(globals)),
        Value::Thread(t) => match thread_envs(stack).get(Value::Thread(t)) {
            Value::Table(env) => Some(env),
            _ => Some(globals),
        },
        _ => None,
    };
    stack.replace(&[env.map_or(Value::Nil, Value::Table)]);
    Ok(Action::Return)
}

fn setfenv<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let env = check_table(stack, 1)?;
    match stack.get(0) {
        Value::LuaFunction(f) => {
            gc_arena::barrier::unlock!(Gc::write(ctx.mc, f), LuaClosure, env).set(env);
        }
        Value::NativeFunction(f) => {
            gc_arena::barrier::unlock!(Gc::write(ctx.mc, f), NativeClosure, env).set(Some(env));
        }
        Value::UserData(u) => {
            gc_arena::barrier::unlock!(Gc::write(ctx.mc, u.0), UserDataData, env).set(Some(env));
        }
        Value::Thread(t) => {
            let _ = thread_envs(stack).set(ctx.mc, Value::Thread(t), Value::Table(env));
        }
        _ => {
            return Err(NativeError::runtime(
                "'setfenv' cannot change environment of given object",
            ))
        }
    }
    stack.resize(1);
    Ok(Action::Return)
}

fn sethook<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (thread, a) = thread_arg(stack);
    let thread = thread.unwrap_or(stack.thread);
    let function = stack.get(a);
    if function.is_nil() {
        thread.set_hook(ctx.mc, Value::Nil, 0, 0);
    } else {
        let letters = check_string(ctx, stack, a + 1)?;
        let count = opt_integer(stack, a + 2, 0)?;
        check_function(stack, a)?;
        let mut mask = 0;
        for (letter, bit) in [
            (b'c', hook_mask::CALL),
            (b'r', hook_mask::RETURN),
            (b'l', hook_mask::LINE),
        ] {
            if letters.as_bytes().contains(&letter) {
                mask |= bit;
            }
        }
        if count > 0 {
            mask |= hook_mask::COUNT;
        }
        let count = u32::try_from(count.max(0)).unwrap_or(u32::MAX);
        thread.set_hook(ctx.mc, function, mask, count);
    }
    stack.clear();
    Ok(Action::Return)
}

fn gethook<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (thread, _) = thread_arg(stack);
    let thread = thread.unwrap_or(stack.thread);
    let mask = thread.hook_mask();
    let mut letters = String::new();
    for (letter, bit) in [
        ('c', hook_mask::CALL),
        ('r', hook_mask::RETURN),
        ('l', hook_mask::LINE),
    ] {
        if mask & bit != 0 {
            letters.push(letter);
        }
    }
    let function = thread.0.hook_function.get();
    let count = Value::Number(f64::from(thread.0.hook_count.get()));
    stack.replace(&[function, ctx.str(letters), count]);
    Ok(Action::Return)
}

/// `debug.debug()`: runs lines read from stdin until `cont` or end of input.
fn debug_<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    loop {
        super::output::flush();
        let mut stderr = std::io::stderr();
        let _ = stderr.write_all(b"lua_debug> ");
        let mut line = Vec::new();
        let read = std::io::stdin().lock().read_until(b'\n', &mut line);
        if matches!(read, Ok(0) | Err(_)) || line == b"cont\n" {
            stack.clear();
            return Ok(Action::Return);
        }
        match crate::compiler::compile(&line, b"=(debug command)") {
            Ok(proto) => {
                let f = load_function(ctx, &std::rc::Rc::new(proto));
                stack.clear();
                return Ok(Action::Call {
                    function: f,
                    keep: 0,
                    then: Some(Continuation::catching(debug_command_done, Value::Nil)),
                });
            }
            Err(e) => {
                let _ = stderr.write_all(&e.message);
                let _ = stderr.write_all(b"\n");
            }
        }
    }
}

/// After a `debug.debug` command: reports its error, then reads the next one.
fn debug_command_done<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    if let Err(e) = outcome {
        let mut text = Vec::new();
        match e {
            Value::String(s) => text.extend_from_slice(s.as_bytes()),
            Value::Number(n) => format_number(n, &mut text),
            _ => text.extend_from_slice(b"(error object is not a string)"),
        }
        text.push(b'\n');
        let _ = std::io::stderr().write_all(&text);
    }
    stack.clear();
    debug_(ctx, stack)
}
