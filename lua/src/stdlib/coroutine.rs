//! The `coroutine` library (`lbaselib.c`'s coroutine part): `create`, `resume`, `yield`, `status`,
//! `running` and `wrap`.
//!
//! Natives never run a coroutine themselves: `resume` and `wrap`'s function return
//! [`Action::Resume`] and receive the coroutine's yielded or returned values (or its error) in a
//! continuation; `yield` returns [`Action::Yield`]. Because the VM drives every frame, a coroutine
//! may yield across `pcall`, metamethods, iterators and sort comparators (as LuaJIT allows, where
//! lua5.1 raises `attempt to yield across metamethod/C-call boundary`).

use crate::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use crate::function::NativeClosure;
use crate::table::Table;
use crate::thread::{Thread, ThreadStatus};
use crate::value::Value;
use crate::vm::Ctx;

use super::register;

/// Installs the library.
pub fn open(ctx: Ctx<'_>) {
    let t = Table::new(ctx.mc);
    register(
        ctx,
        t,
        &[
            ("create", create),
            ("resume", resume),
            ("running", running),
            ("status", status),
            ("wrap", wrap),
            ("yield", yield_),
        ],
    );
    let _ = ctx
        .globals()
        .set(ctx.mc, ctx.str("coroutine"), Value::Table(t));
}

/// A new suspended coroutine whose body is the Lua function in argument 0.
fn new_coroutine<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
) -> Result<Thread<'gc>, NativeError<'gc>> {
    let body = stack.get(0);
    if !matches!(body, Value::LuaFunction(_)) {
        return Err(NativeError::bad_argument(1, "Lua function expected"));
    }
    let thread = Thread::new(ctx.mc);
    let parent = stack.thread();
    if parent.0.hook_inherited.get() {
        let hook = parent.0.hook_function.get();
        thread.set_host_hook(ctx.mc, hook, parent.hook_mask(), parent.0.hook_count.get());
    }
    thread.state_mut(ctx.mc).stack.push(body);
    Ok(thread)
}

/// Argument 0 as a coroutine (`coroutine expected` otherwise).
fn check_coroutine<'gc>(stack: &Stack<'gc, '_>) -> Result<Thread<'gc>, NativeError<'gc>> {
    match stack.get(0) {
        Value::Thread(t) => Ok(t),
        _ => Err(NativeError::bad_argument(1, "coroutine expected")),
    }
}

/// The status `coroutine.status` reports for `co` seen from the running thread.
fn status_of<'gc>(ctx: Ctx<'gc>, co: Thread<'gc>) -> ThreadStatus {
    if co == ctx.current_thread() {
        ThreadStatus::Running
    } else {
        co.status()
    }
}

/// Why `co` cannot be resumed (`auxresume`'s `cannot resume <status> coroutine`), if it cannot.
fn resume_refusal<'gc>(ctx: Ctx<'gc>, co: Thread<'gc>) -> Option<String> {
    match status_of(ctx, co) {
        ThreadStatus::Suspended => None,
        other => Some(format!("cannot resume {} coroutine", other.name())),
    }
}

fn create<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let thread = new_coroutine(ctx, stack)?;
    stack.replace(&[Value::Thread(thread)]);
    Ok(Action::Return)
}

fn resume<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let co = check_coroutine(stack)?;
    if let Some(message) = resume_refusal(ctx, co) {
        stack.replace(&[Value::Boolean(false), ctx.str(message)]);
        return Ok(Action::Return);
    }
    stack.drain_front(1);
    Ok(Action::Resume {
        thread: co,
        then: Continuation::catching(resume_done, Value::Nil),
    })
}

/// `resume` completion: `true, values...` or `false, error`.
fn resume_done<'gc>(
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

fn yield_<'gc>(ctx: Ctx<'gc>, _stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if ctx.current_thread() == ctx.state.main_thread {
        return Err(NativeError::Located {
            message: b"attempt to yield across metamethod/C-call boundary".to_vec(),
            level: 0,
        });
    }
    Ok(Action::Yield { then: None })
}

fn status<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let co = check_coroutine(stack)?;
    let name = status_of(ctx, co).name();
    stack.replace(&[ctx.str(name)]);
    Ok(Action::Return)
}

fn running<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let thread = ctx.current_thread();
    let result = if thread == ctx.state.main_thread {
        Value::Nil
    } else {
        Value::Thread(thread)
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

fn wrap<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let thread = new_coroutine(ctx, stack)?;
    let f = NativeClosure::function(ctx.mc, "wrap", wrapped, vec![Value::Thread(thread)]);
    stack.replace(&[f]);
    Ok(Action::Return)
}

/// The function `wrap` returns: resumes its coroutine with its arguments.
fn wrapped<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let Value::Thread(co) = stack.upvalues()[0] else {
        unreachable!("a wrapped coroutine keeps its thread");
    };
    if let Some(message) = resume_refusal(ctx, co) {
        return Err(NativeError::runtime(message));
    }
    Ok(Action::Resume {
        thread: co,
        then: Continuation::catching(wrapped_done, Value::Nil),
    })
}

/// `wrap` completion: the values, or the error re-raised with the caller's position prepended to
/// string errors (`auxwrap`).
fn wrapped_done<'gc>(
    _ctx: Ctx<'gc>,
    _stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    match outcome {
        Ok(()) => Ok(Action::Return),
        Err(Value::String(s)) => Err(NativeError::runtime(s.as_bytes())),
        Err(Value::Number(n)) => {
            let mut text = Vec::new();
            crate::text::number::format_number(n, &mut text);
            Err(NativeError::runtime(text))
        }
        Err(e) => Err(NativeError::Value(e)),
    }
}
