//! The line hook and the debugger's command loop (`luaLdbLineHook`, `ldbRepl`): the hook runs
//! before each new line of the script (and every 100000 instructions, to stop a script that runs
//! too long without stopping); when the script must stop it logs where, sends the logs and reads
//! commands from the debugging client until one resumes the script. Key decision: the hook is an
//! ordinary native, so it reads the client's socket with a blocking read (the whole server waits,
//! as Redis's does in a synchronous session) and it never re-enters the VM: `eval` and `redis`
//! return `Action::Call` with a continuation that logs the outcome and goes back to reading
//! commands.

use super::format::{atoi, cat_value, string2l};
use super::session::{self, Session, MAX_BREAKPOINTS};
use ferrous_lua::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use ferrous_lua::function::LuaClosure;
use ferrous_lua::lua::load_function;
use ferrous_lua::vm::debug::{current_line, function_name, local_name};
use ferrous_lua::vm::frame::Frame;
use ferrous_lua::vm::Ctx;
use ferrous_lua::Value;
use gc_arena::Gc;
use std::rc::Rc;

/// The debugger's help text.
const HELP: &[&str] = &[
    "Redis Lua debugger help:",
    "[h]elp               Show this help.",
    "[s]tep               Run current line and stop again.",
    "[n]ext               Alias for step.",
    "[c]ontinue           Run till next breakpoint.",
    "[l]ist               List source code around current line.",
    "[l]ist [line]        List source code around [line].",
    "                     line = 0 means: current position.",
    "[l]ist [line] [ctx]  In this form [ctx] specifies how many lines",
    "                     to show before/after [line].",
    "[w]hole              List all source code. Alias for 'list 1 1000000'.",
    "[p]rint              Show all the local variables.",
    "[p]rint <var>        Show the value of the specified variable.",
    "                     Can also show global vars KEYS and ARGV.",
    "[b]reak              Show all breakpoints.",
    "[b]reak <line>       Add a breakpoint to the specified line.",
    "[b]reak -<line>      Remove breakpoint from the specified line.",
    "[b]reak 0            Remove all breakpoints.",
    "[t]race              Show a backtrace.",
    "[e]val <code>        Execute some Lua code (in a different callframe).",
    "[r]edis <cmd>        Execute a Redis command.",
    "[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.",
    "                     Specifying zero as <len> means unlimited.",
    "[a]bort              Stop the execution of the script. In sync",
    "                     mode dataset changes will be retained.",
    "",
    "Debugger functions you can call from Lua scripts:",
    "redis.debug()        Produce logs in the debugger console.",
    "redis.breakpoint()   Stop execution like if there was a breakpoint in the",
    "                     next line of code.",
];

/// Events outside the script (the error handler, `eval` code) do not stop.
fn in_script(closure: &LuaClosure<'_>) -> bool {
    closure
        .proto
        .short_src
        .as_bytes()
        .windows(11)
        .any(|w| w == b"user_script")
}

/// One level of the Lua stack below the hook, innermost first (`lua_getstack`).
struct Level<'gc> {
    /// The Lua function running at this level, its first register and pc.
    lua: Option<(Gc<'gc, LuaClosure<'gc>>, usize, usize)>,
    /// The line it is at.
    line: i64,
    /// Its name at the call site.
    name: Option<Vec<u8>>,
}

/// The levels below the running native (the hook, or a continuation in its frame).
fn levels<'gc>(stack: &Stack<'gc, '_>) -> Vec<Level<'gc>> {
    let frames = stack.frames();
    let mut out = Vec::new();
    for i in (0..frames.len().saturating_sub(1)).rev() {
        let name = function_name(frames, i).map(|(_, n)| n);
        match &frames[i] {
            Frame::Lua(f) => {
                let line = current_line(f).map_or(-1, i64::from);
                out.push(Level {
                    lua: Some((f.closure, f.base, f.pc)),
                    line,
                    name,
                });
                if f.tail_call {
                    out.push(Level {
                        lua: None,
                        line: -1,
                        name: None,
                    });
                }
            }
            _ => out.push(Level {
                lua: None,
                line: -1,
                name,
            }),
        }
    }
    out
}

/// The named locals active in a Lua level, with their values.
fn locals<'gc>(stack: &mut Stack<'gc, '_>, level: &Level<'gc>) -> Vec<(Vec<u8>, Value<'gc>)> {
    let Some((closure, base, pc)) = level.lua else {
        return Vec::new();
    };
    let values = stack.thread_values();
    let mut out = Vec::new();
    let pc = pc.saturating_sub(1);
    for n in 1.. {
        let Some(name) = local_name(&closure.proto, n, pc) else {
            break;
        };
        let v = values.get(base + n - 1).copied().unwrap_or_default();
        out.push((name.to_vec(), v));
    }
    out
}

/// The hook: `(event, line)` for `line` and `count` events.
pub fn hook<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let count_event = matches!(stack.get(0), Value::String(s) if s.as_bytes() == b"count");
    let frames = stack.frames();
    let below = frames.len().checked_sub(2).map(|i| &frames[i]);
    let Some(Frame::Lua(f)) = below else {
        stack.clear();
        return Ok(Action::Return);
    };
    let line = match stack.get(1) {
        Value::Number(n) => n as i64,
        _ => current_line(f).map_or(-1, i64::from),
    };
    let script = in_script(&f.closure);
    stack.clear();
    let stop = session::with(|s| {
        s.current_line = line;
        script && should_stop(s, line, count_event)
    });
    if stop == Some(true) {
        return repl(ctx, stack);
    }
    Ok(Action::Return)
}

/// Whether to stop at `line`; when stopping, logs where and why and sends the logs.
fn should_stop(s: &mut Session, line: i64, count_event: bool) -> bool {
    let bp = s.is_breakpoint(line) || s.luabp;
    let mut timeout = false;
    if count_event && !s.step && !bp {
        if s.resumed_at.elapsed().as_millis() < s.time_limit_ms {
            return false;
        }
        timeout = true;
        s.step = true;
    }
    if !s.step && !bp {
        return false;
    }
    let reason = if bp && s.luabp {
        "redis.breakpoint() called"
    } else if bp {
        "break point"
    } else if timeout {
        "timeout reached, infinite loop?"
    } else {
        "step over"
    };
    s.step = false;
    s.luabp = false;
    s.timeout_stop = timeout;
    s.log(format!("* Stopped at {line}, stop reason = {reason}"));
    s.log_source_line(line);
    s.send_logs();
    true
}

/// What a debugger command leaves the loop to do.
enum Next<'gc> {
    /// Read the next command.
    Read,
    /// Let the script run.
    Resume,
    /// Run a Lua call and come back.
    Call(Action<'gc>),
    /// Fail the script with this message.
    Fail(&'static str),
}

/// Reads and runs debugger commands until one resumes the script.
fn repl<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    loop {
        let read = session::with(|s| s.read_command()).unwrap_or(Ok(None));
        let next = match read {
            Ok(Some(argv)) => command(ctx, stack, &argv),
            Ok(None) => {
                let timeout = session::with(|s| s.timeout_stop).unwrap_or(false);
                if timeout {
                    Next::Fail("timeout during Lua debugging with client closing connection")
                } else {
                    Next::Resume
                }
            }
            Err(e) => Next::Fail(e),
        };
        match next {
            Next::Read => {}
            Next::Resume => {
                session::with(|s| s.resumed_at = std::time::Instant::now());
                stack.clear();
                return Ok(Action::Return);
            }
            Next::Call(action) => return Ok(action),
            Next::Fail(msg) => return Err(NativeError::Value(ctx.str(msg))),
        }
    }
}

fn is(word: &[u8], short: &str, long: &str) -> bool {
    word.eq_ignore_ascii_case(short.as_bytes()) || word.eq_ignore_ascii_case(long.as_bytes())
}

/// Runs one debugger command.
fn command<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, argv: &[Vec<u8>]) -> Next<'gc> {
    let word = argv[0].as_slice();
    if is(word, "s", "step") || is(word, "n", "next") {
        session::with(|s| s.step = true);
        return Next::Resume;
    }
    if is(word, "c", "continue") {
        return Next::Resume;
    }
    if is(word, "a", "abort") {
        return Next::Fail("script aborted for user request");
    }
    if is(word, "e", "eval") {
        if let Some(action) = eval(ctx, stack, argv) {
            return Next::Call(action);
        }
    } else if argv.len() > 1 && is(word, "r", "redis") {
        return Next::Call(redis(ctx, stack, argv));
    } else if is(word, "h", "help") {
        session::with(|s| HELP.iter().for_each(|l| s.log(*l)));
    } else if is(word, "t", "trace") {
        let levels = levels(stack);
        session::with(|s| trace(s, &levels));
    } else if is(word, "m", "maxlen") {
        session::with(|s| maxlen(s, argv));
    } else if is(word, "b", "break") {
        session::with(|s| breakpoints(s, argv));
    } else if is(word, "p", "print") {
        print(ctx, stack, argv);
    } else if is(word, "l", "list") {
        session::with(|s| {
            let mut around = s.current_line;
            if let Some(n) = argv.get(1).map(|a| atoi(a)).filter(|&n| n > 0) {
                around = n;
            }
            let context = argv.get(2).map_or(5, |a| atoi(a));
            s.list(around, context);
        });
    } else if is(word, "w", "whole") {
        session::with(|s| s.list(1, 1_000_000));
    } else {
        session::with(|s| {
            s.log("<error> Unknown Redis Lua debugger command or wrong number of arguments.")
        });
    }
    session::with(Session::send_logs);
    Next::Read
}

/// `trace`: the script's levels, innermost first (`ldbTrace`).
fn trace(s: &mut Session, levels: &[Level<'_>]) {
    for (i, level) in levels.iter().enumerate() {
        if !level.lua.is_some_and(|(c, _, _)| in_script(&c)) {
            continue;
        }
        let name = level.name.as_ref().map_or("top level".to_string(), |n| {
            String::from_utf8_lossy(n).into_owned()
        });
        let lead = if i == 0 { "In" } else { "From" };
        s.log(format!("{lead} {name}:"));
        s.log_source_line(level.line);
    }
    if levels.is_empty() {
        s.log("<error> Can't retrieve Lua stack.");
    }
}

/// `maxlen [len]` (`ldbMaxlen`).
fn maxlen(s: &mut Session, argv: &[Vec<u8>]) {
    if argv.len() == 2 {
        let mut n = atoi(&argv[1]) as i32;
        s.maxlen_hint_sent = true;
        if n != 0 && n <= 60 {
            n = 60;
        }
        s.maxlen = n as usize;
    }
    if s.maxlen > 0 {
        s.log(format!(
            "<value> replies are truncated at {} bytes.",
            s.maxlen
        ));
    } else {
        s.log("<value> replies are unlimited.");
    }
}

/// `break`, `break <line>`, `break -<line>`, `break 0` (`ldbBreak`).
fn breakpoints(s: &mut Session, argv: &[Vec<u8>]) {
    if argv.len() == 1 {
        if s.bpcount == 0 {
            s.log("No breakpoints set. Use 'b <line>' to add one.");
            return;
        }
        s.log(format!("{} breakpoints set:", s.bpcount));
        for line in s.breakpoints() {
            s.log_source_line(line);
        }
        return;
    }
    for arg in &argv[1..] {
        let Some(line) = string2l(arg) else {
            let mut entry = b"Invalid argument:'".to_vec();
            entry.extend_from_slice(arg);
            entry.push(b'\'');
            s.log(entry);
            continue;
        };
        if line == 0 {
            s.bpcount = 0;
            s.log("All breakpoints removed.");
        } else if line > 0 {
            if s.bpcount == MAX_BREAKPOINTS {
                s.log("Too many breakpoints set.");
            } else if s.add_breakpoint(line) {
                s.list(line, 1);
            } else {
                s.log("Wrong line number.");
            }
        } else if s.del_breakpoint(-line) {
            s.log("Breakpoint removed.");
        } else {
            s.log("No breakpoint in the specified line.");
        }
    }
}

/// `print` (every local of the current function) and `print <var>` (the innermost variable of
/// that name, or the global `KEYS`/`ARGV`) (`ldbPrint`, `ldbPrintAll`).
fn print<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, argv: &[Vec<u8>]) {
    let levels = levels(stack);
    if argv.len() != 2 {
        let vars = levels.first().map(|l| locals(stack, l)).unwrap_or_default();
        session::with(|s| {
            for (name, v) in &vars {
                let mut entry = b"<value> ".to_vec();
                entry.extend_from_slice(name);
                entry.extend_from_slice(b" = ");
                cat_value(&mut entry, *v);
                s.log_with_maxlen(entry);
            }
            if vars.is_empty() {
                s.log("No local variables in the current context.");
            }
        });
        return;
    }
    let wanted = argv[1].as_slice();
    let found = levels
        .iter()
        .find_map(|l| locals(stack, l).into_iter().find(|(n, _)| n == wanted))
        .map(|(_, v)| v)
        .or_else(|| {
            (wanted == b"KEYS" || wanted == b"ARGV")
                .then(|| ctx.globals().get_str(ctx.intern(wanted)))
        });
    session::with(|s| match found {
        Some(v) => {
            let mut entry = b"<value> ".to_vec();
            cat_value(&mut entry, v);
            s.log_with_maxlen(entry);
        }
        None => s.log("No such variable."),
    });
}

/// `eval <code>`: compiles `return <code>` (or else `<code>`) as chunk `@ldb_eval` and calls it
/// (`ldbEval`); `None` after logging a compile error.
fn eval<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, argv: &[Vec<u8>]) -> Option<Action<'gc>> {
    let code = argv[1..].join(&b' ');
    let expr = [b"return ".as_slice(), &code].concat();
    let compiled = ferrous_lua::compiler::compile(&expr, b"@ldb_eval")
        .or_else(|_| ferrous_lua::compiler::compile(&code, b"@ldb_eval"));
    let proto = match compiled {
        Ok(p) => p,
        Err(e) => {
            let mut entry = b"<error> ".to_vec();
            entry.extend_from_slice(&e.message);
            session::with(|s| s.log(entry));
            return None;
        }
    };
    stack.clear();
    Some(Action::Call {
        function: load_function(ctx, &Rc::new(proto)),
        keep: 0,
        then: Some(Continuation::catching(eval_done, Value::Nil)),
    })
}

fn eval_done<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let entry = match outcome {
        Ok(()) => {
            let mut entry = b"<retval> ".to_vec();
            cat_value(&mut entry, stack.get(0));
            Ok(entry)
        }
        Err(e) => {
            let mut entry = b"<error> ".to_vec();
            entry.extend_from_slice(&error_text(ctx, e));
            Err(entry)
        }
    };
    session::with(|s| {
        match entry {
            Ok(e) => s.log_with_maxlen(e),
            Err(e) => s.log(e),
        }
        s.send_logs();
    });
    stack.clear();
    repl(ctx, stack)
}

/// The text of an error value: strings and numbers as they are; Redis's error tables by their
/// `err` field (Redis itself crashes formatting them).
fn error_text<'gc>(ctx: Ctx<'gc>, e: Value<'gc>) -> Vec<u8> {
    match e {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Number(n) => ferrous_lua::vm::ops::number_to_string(ctx, n)
            .as_bytes()
            .to_vec(),
        Value::Table(t) => match t.get_str(ctx.intern(b"err")) {
            Value::String(s) => s.as_bytes().to_vec(),
            _ => b"(error object is not a string)".to_vec(),
        },
        _ => b"(error object is not a string)".to_vec(),
    }
}

/// `redis <cmd> [args]`: runs the command through `redis.call` with logging on, so the command
/// and its reply are logged (`ldbRedis`).
fn redis<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, argv: &[Vec<u8>]) -> Action<'gc> {
    let function = match ctx.globals().get(ctx.str("redis")) {
        Value::Table(redis) => redis.get(ctx.str("call")),
        _ => Value::Nil,
    };
    stack.clear();
    for arg in &argv[1..] {
        stack.push(ctx.str(arg));
    }
    session::with(|s| s.step = true);
    Action::Call {
        function,
        keep: 0,
        then: Some(Continuation::catching(redis_done, Value::Nil)),
    }
}

fn redis_done<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    session::with(|s| {
        s.step = false;
        s.send_logs();
    });
    stack.clear();
    repl(ctx, stack)
}
