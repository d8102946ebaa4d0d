//! Calls, returns, native actions, errors and the scheduler that runs threads.
//!
//! The scheduler ([`run`]) looks at the innermost frame of the running thread: a Lua frame is
//! handed to the dispatch loop, a native frame waiting on a call has its continuation run. Calls
//! push frames and returns pop them, delivering results as the frame's [`ReturnKind`] says; nothing
//! here recurses, so Lua recursion depth is bounded only by [`MAX_FRAMES`], never by the Rust stack.
//!
//! Calling convention: to call the value in slot `func`, its arguments are `func+1..` up to the end
//! of the stack vector. Results are copied to `func..`.

use gc_arena::{lock::Lock, Gc};

use crate::callback::{Action, Catch, NativeError, NativeResult, Stack};
use crate::function::{LuaClosure, NativeClosure, UpValue, UpValueState};
use crate::opcode;
use crate::thread::{hook_mask, OpenUpValue, Thread, ThreadState, ThreadStatus};
use crate::value::Value;

use super::debug;
use super::execute;
use super::frame::{Frame, HookResume, LuaFrame, NativeFrame, ReturnKind};
use super::hook;
use super::meta::Event;
use super::ops;
use super::Ctx;

/// Most frames a thread may hold (`LUAI_MAXCALLS`).
pub const MAX_FRAMES: usize = 20000;

/// Most values a native may return at once (`LUAI_MAXCSTACK`).
pub const MAX_NATIVE_RESULTS: usize = 8000;

/// What the scheduler must do after a step.
pub enum Flow {
    /// Look at the innermost frame again.
    Continue,
    /// The running thread yields the values in `from..`.
    Yield {
        /// First yielded value.
        from: usize,
    },
    /// Resume the thread just pushed on the running chain with the values in `from..` of its
    /// resumer.
    Resume {
        /// First argument.
        from: usize,
    },
}

/// Result of a step: a flow, or an error value to raise.
pub type Step<'gc> = Result<Flow, Value<'gc>>;

/// The state of a host call after a slice of execution.
pub enum RunStatus<'gc> {
    /// Fuel ran out; call [`run`] again.
    Pending,
    /// The host's function returned; results are the main thread's stack from slot 1.
    Finished,
    /// The host's function raised `error`; `traceback` was taken before the stack unwound.
    Failed {
        /// The error value.
        error: Value<'gc>,
        /// lua5.1-style traceback of the failing stack.
        traceback: String,
    },
}

/// Builds the error value for a runtime error in the innermost Lua frame: `chunk:line: message`.
pub fn runtime_error<'gc>(ctx: Ctx<'gc>, frames: &[Frame<'gc>], message: &[u8]) -> Value<'gc> {
    let mut text = match frames.last() {
        Some(f) => debug::lua_location(f),
        None => Vec::new(),
    };
    text.extend_from_slice(message);
    ctx.str(text)
}

/// Words an operation error raised by the instruction of the innermost Lua frame; `operand` is the
/// register the culprit came from, when it came from one.
pub fn op_error<'gc>(
    ctx: Ctx<'gc>,
    frames: &[Frame<'gc>],
    err: ops::OpError<'gc>,
    operand: Option<u32>,
) -> Value<'gc> {
    let text = match err {
        ops::OpError::Type {
            op,
            culprit,
            original,
        } => {
            let name = match (operand, frames.last(), original) {
                (Some(reg), Some(Frame::Lua(f)), true) if !opcode::is_k(reg) => {
                    debug::object_name(f, reg)
                }
                _ => None,
            };
            match name {
                Some((kind, name)) => format!(
                    "attempt to {op} {kind} '{}' (a {} value)",
                    String::from_utf8_lossy(&name),
                    culprit.type_name()
                ),
                None => format!("attempt to {op} a {} value", culprit.type_name()),
            }
        }
        ops::OpError::Compare(a, b) => {
            if a.type_tag() == b.type_tag() {
                format!("attempt to compare two {} values", a.type_name())
            } else {
                format!(
                    "attempt to compare {} with {}",
                    a.type_name(),
                    b.type_name()
                )
            }
        }
        ops::OpError::Message(m) => m.to_string(),
    };
    runtime_error(ctx, frames, text.as_bytes())
}

/// Turns a native's error into the value raised, using the native's frame (innermost) for names
/// and positions.
pub fn native_error_value<'gc>(
    ctx: Ctx<'gc>,
    frames: &[Frame<'gc>],
    err: NativeError<'gc>,
) -> Value<'gc> {
    match err {
        NativeError::Value(v) => v,
        NativeError::Located { message, level } => {
            let mut text = if level == 0 {
                Vec::new()
            } else {
                debug::where_prefix(frames, level as usize)
            };
            text.extend_from_slice(&message);
            ctx.str(text)
        }
        NativeError::BadArgument { arg, message } => {
            let mut arg = arg;
            let top = frames.len().saturating_sub(1);
            let name = debug::function_name(frames, top);
            let text = match &name {
                Some(("method", n)) => {
                    arg -= 1;
                    if arg == 0 {
                        format!(
                            "calling '{}' on bad self ({message})",
                            String::from_utf8_lossy(n)
                        )
                    } else {
                        format!(
                            "bad argument #{arg} to '{}' ({message})",
                            String::from_utf8_lossy(n)
                        )
                    }
                }
                Some((_, n)) => format!(
                    "bad argument #{arg} to '{}' ({message})",
                    String::from_utf8_lossy(n)
                ),
                None => format!("bad argument #{arg} to '?' ({message})"),
            };
            let mut out = debug::where_prefix(frames, 1);
            out.extend_from_slice(text.as_bytes());
            ctx.str(out)
        }
    }
}

/// Calls the value in `func` (arguments after it, to the end of the stack). Lua functions get a
/// frame and run when the dispatch loop next looks; natives run now.
pub fn call_value<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    func: usize,
    ret: ReturnKind,
    tail_call: bool,
) -> Step<'gc> {
    match st.stack[func] {
        Value::LuaFunction(closure) => {
            enter_lua(ctx, st, closure, func, ret, tail_call)?;
            Ok(Flow::Continue)
        }
        Value::NativeFunction(native) => call_native(ctx, thread, st, native, func, ret),
        other => {
            let tm = ops::metamethod_of(ctx, other, Event::Call);
            if !tm.is_function() {
                let operand = caller_register(st, func);
                let err = ops::OpError::Type {
                    op: "call",
                    culprit: other,
                    original: true,
                };
                return Err(op_error(ctx, &st.frames, err, operand));
            }
            st.stack.insert(func, tm);
            call_value(ctx, thread, st, func, ret, tail_call)
        }
    }
}

/// The register of the innermost Lua frame that holds slot `func`, if the innermost frame is Lua.
fn caller_register(st: &ThreadState<'_>, func: usize) -> Option<u32> {
    match st.frames.last() {
        Some(Frame::Lua(f)) if func >= f.base => Some((func - f.base) as u32),
        _ => None,
    }
}

/// Copies `n` values from `src` to `dst` (`dst <= src`); a plain loop, as results are few and a
/// `memmove` call costs more than the copy.
#[inline]
pub fn move_values(stack: &mut [Value<'_>], src: usize, dst: usize, n: usize) {
    for i in 0..n {
        stack[dst + i] = stack[src + i];
    }
}

/// Pushes a frame for a Lua function whose arguments are in place (`luaD_precall`).
#[inline]
pub fn enter_lua<'gc>(
    ctx: Ctx<'gc>,
    st: &mut ThreadState<'gc>,
    closure: Gc<'gc, LuaClosure<'gc>>,
    func: usize,
    ret: ReturnKind,
    tail_call: bool,
) -> Result<(), Value<'gc>> {
    if st.frames.len() >= MAX_FRAMES {
        return Err(runtime_error(ctx, &st.frames, b"stack overflow"));
    }
    let proto = &closure.proto;
    let info = &proto.info;
    let num_params = proto.num_params;
    let nargs = st.stack.len() - func - 1;
    let base = if proto.is_vararg {
        let base = func + 1 + nargs;
        let arg_table = (info.is_vararg & opcode::VARARG_NEEDSARG != 0).then(|| {
            let extra = &st.stack[func + 1 + num_params.min(nargs)..];
            let t = crate::table::Table::with_capacity(ctx.mc, extra.len(), 1);
            for (i, v) in extra.iter().enumerate() {
                t.set_int(ctx.mc, i as i64 + 1, *v);
            }
            let _ = t.set(ctx.mc, ctx.str("n"), Value::Number(extra.len() as f64));
            t
        });
        for i in 0..num_params {
            let v = if i < nargs {
                std::mem::take(&mut st.stack[func + 1 + i])
            } else {
                Value::Nil
            };
            st.stack.push(v);
        }
        if let Some(t) = arg_table {
            st.stack.push(Value::Table(t));
        }
        base
    } else {
        for slot in &mut st.stack[func + 1 + num_params.min(nargs)..] {
            *slot = Value::Nil;
        }
        func + 1
    };
    let extent = base + proto.max_stack;
    if st.stack.len() < extent {
        st.stack.resize(extent, Value::Nil);
    }
    push_lua_frame(st, closure, func, base, ret, tail_call);
    Ok(())
}

/// Pushes the frame of a Lua function entered at `func` with registers from `base`.
#[inline(always)]
fn push_lua_frame<'gc>(
    st: &mut ThreadState<'gc>,
    closure: Gc<'gc, LuaClosure<'gc>>,
    func: usize,
    base: usize,
    ret: ReturnKind,
    tail_call: bool,
) {
    st.frames.push(Frame::Lua(LuaFrame {
        closure,
        func,
        base,
        pc: 0,
        top: base,
        ret,
        tail_call,
    }));
}

/// The dispatch loop's call of a Lua function with fixed parameters whose arguments are
/// `func+1..end` (from `CALL`, or `TAILCALL` with `tail_call`): pushes its frame and returns
/// `true`, or returns `false` (nothing done) when the general path must take it (vararg
/// function, too many frames).
#[inline(always)]
pub fn enter_lua_fixed<'gc>(
    st: &mut ThreadState<'gc>,
    closure: Gc<'gc, LuaClosure<'gc>>,
    func: usize,
    end: usize,
    ret: ReturnKind,
    tail_call: bool,
) -> bool {
    let proto = Gc::as_ref(closure.proto);
    if proto.is_vararg || st.frames.len() >= MAX_FRAMES {
        return false;
    }
    let base = func + 1;
    // Arguments beyond the parameters and the other registers start as nil (`luaD_precall`).
    let keep = base + proto.num_params.min(end - base);
    st.stack.truncate(keep);
    st.stack.resize(base + proto.max_stack, Value::Nil);
    push_lua_frame(st, closure, func, base, ret, tail_call);
    true
}

/// Runs a native function now and carries out the action it returns.
pub fn call_native<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    native: Gc<'gc, NativeClosure<'gc>>,
    func: usize,
    ret: ReturnKind,
) -> Step<'gc> {
    if st.frames.len() >= MAX_FRAMES {
        return Err(runtime_error(ctx, &st.frames, b"stack overflow"));
    }
    let base = func + 1;
    st.frames.push(Frame::Native(NativeFrame {
        function: native,
        func,
        base,
        call_base: base,
        cont: None,
        ret,
    }));
    if thread.hook_mask() & hook_mask::CALL != 0 && !st.in_hook {
        return hook::fire(ctx, thread, st, "call", None, HookResume::NativeCall);
    }
    invoke_native(ctx, thread, st, native, base)
}

/// Runs the function of the innermost (native) frame, whose arguments start at `base`.
fn invoke_native<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    native: Gc<'gc, NativeClosure<'gc>>,
    base: usize,
) -> Step<'gc> {
    let result = {
        let ThreadState { stack, frames, .. } = st;
        let mut window = Stack {
            values: stack,
            base,
            frames,
            thread,
            callee: Some(native),
        };
        (native.func)(ctx, &mut window)
    };
    perform(ctx, thread, st, result)
}

/// Carries out what the innermost (native) frame asked for.
pub fn perform<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    result: NativeResult<'gc>,
) -> Step<'gc> {
    let index = st.frames.len() - 1;
    let Frame::Native(frame) = st.frames[index] else {
        unreachable!("perform called without a native frame on top");
    };
    let action = match result {
        Ok(action) => action,
        Err(e) => return Err(native_error_value(ctx, &st.frames, e)),
    };
    match action {
        Action::Return => {
            if thread.hook_mask() & hook_mask::RETURN != 0 && !st.in_hook {
                return hook::fire(ctx, thread, st, "return", None, HookResume::NativeReturn);
            }
            native_return(ctx, thread, st, frame)
        }
        Action::Call {
            function,
            keep,
            then,
        } => match then {
            Some(cont) => {
                let slot = (frame.base + keep).min(st.stack.len());
                if let Frame::Native(f) = &mut st.frames[index] {
                    f.cont = Some(cont);
                    f.call_base = slot;
                }
                st.stack.insert(slot, function);
                call_value(ctx, thread, st, slot, ReturnKind::Native, false)
            }
            None => {
                st.frames.pop();
                st.stack.drain(frame.func..frame.base);
                st.stack.insert(frame.func, function);
                call_value(ctx, thread, st, frame.func, frame.ret, false)
            }
        },
        Action::Yield { then } => {
            if ctx.state.running.borrow().len() <= 1 {
                return Err(native_error_value(
                    ctx,
                    &st.frames,
                    NativeError::runtime("attempt to yield from outside a coroutine"),
                ));
            }
            match then {
                Some(cont) => {
                    if let Frame::Native(f) = &mut st.frames[index] {
                        f.cont = Some(cont);
                        f.call_base = frame.base;
                    }
                }
                None => {
                    st.frames.pop();
                    st.frames.push(Frame::Yielded {
                        func: frame.func,
                        ret: frame.ret,
                    });
                }
            }
            Ok(Flow::Yield { from: frame.base })
        }
        Action::Resume { thread: co, then } => {
            if let Frame::Native(f) = &mut st.frames[index] {
                f.cont = Some(then);
                f.call_base = frame.base;
            }
            let message: Option<&str> = match co.status() {
                ThreadStatus::Suspended => None,
                ThreadStatus::Dead => Some("cannot resume dead coroutine"),
                _ => Some("cannot resume non-suspended coroutine"),
            };
            if let Some(message) = message {
                st.stack.truncate(frame.base);
                return deliver_to_continuation(ctx, thread, st, Err(ctx.str(message)));
            }
            ctx.state.running.borrow_mut(ctx.mc).push(co);
            Ok(Flow::Resume { from: frame.base })
        }
    }
}

/// Pops the innermost native frame (`frame`) and delivers the values in its window as its results.
fn native_return<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    frame: NativeFrame<'gc>,
) -> Step<'gc> {
    let n = st.stack.len() - frame.base;
    if n > MAX_NATIVE_RESULTS {
        return Err(native_error_value(
            ctx,
            &st.frames,
            NativeError::runtime("stack overflow"),
        ));
    }
    st.frames.pop();
    deliver(ctx, thread, st, frame.func, frame.ret, frame.base, n)
}

/// Goes on with the frame a debug hook interrupted, once the hook returned (its results and
/// everything above the interrupted frame's values are gone).
fn resume_after_hook<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    resume: HookResume,
) -> Step<'gc> {
    st.in_hook = false;
    match (resume, st.frames.last_mut()) {
        (HookResume::Lua { skip, refetch }, Some(Frame::Lua(f))) => {
            if refetch {
                f.pc -= 1;
            }
            thread.0.hook_skip.set(skip);
            Ok(Flow::Continue)
        }
        (HookResume::NativeCall, Some(&mut Frame::Native(f))) => {
            invoke_native(ctx, thread, st, f.function, f.base)
        }
        (HookResume::NativeReturn, Some(&mut Frame::Native(f))) => {
            native_return(ctx, thread, st, f)
        }
        (HookResume::Yielded { results }, Some(&mut Frame::Yielded { func, ret })) => {
            st.frames.pop();
            let src = st.stack.len() - results;
            deliver(ctx, thread, st, func, ret, src, results)
        }
        _ => unreachable!("a hook returns to the frame it interrupted"),
    }
}

/// Runs the continuation of the innermost native frame with `outcome` (results are already in its
/// window on success).
pub fn deliver_to_continuation<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    outcome: Result<(), Value<'gc>>,
) -> Step<'gc> {
    let index = st.frames.len() - 1;
    let Frame::Native(frame) = &mut st.frames[index] else {
        unreachable!("continuation without a native frame");
    };
    let cont = frame.cont.take().expect("native frame waits for a call");
    let base = frame.base;
    let result = {
        let ThreadState { stack, frames, .. } = st;
        let mut window = Stack {
            values: stack,
            base,
            frames,
            thread,
            callee: None,
        };
        (cont.func)(ctx, &mut window, cont.state, outcome)
    };
    perform(ctx, thread, st, result)
}

/// Finishes a call made by a Lua `CALL` (the innermost frame is the caller again): copies `n`
/// results from `src` to `func`, adjusts them to `wanted` (or records the caller's `top` for all of
/// them) and restores the caller's register window.
#[inline(always)]
pub fn return_to_lua(st: &mut ThreadState<'_>, func: usize, wanted: i32, src: usize, n: usize) {
    move_values(&mut st.stack, src, func, n);
    let Some(Frame::Lua(caller)) = st.frames.last_mut() else {
        unreachable!("Lua-call results without a Lua caller");
    };
    let extent = caller.base + caller.closure.proto.max_stack;
    if wanted >= 0 {
        let end = func + wanted as usize;
        if st.stack.len() < end {
            st.stack.resize(end, Value::Nil);
        }
        for slot in &mut st.stack[func + n.min(wanted as usize)..end] {
            *slot = Value::Nil;
        }
        st.stack.truncate(extent.max(end));
    } else {
        caller.top = func + n;
        st.stack.truncate(func + n);
    }
    if st.stack.len() < extent {
        st.stack.resize(extent, Value::Nil);
    }
}

/// Copies `n` results from `src` to `func` and finishes the call as `ret` says.
pub fn deliver<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    func: usize,
    ret: ReturnKind,
    src: usize,
    n: usize,
) -> Step<'gc> {
    match ret {
        ReturnKind::Values { wanted } => {
            return_to_lua(st, func, wanted, src, n);
            Ok(Flow::Continue)
        }
        ReturnKind::Native => {
            move_values(&mut st.stack, src, func, n);
            st.stack.truncate(func + n);
            match st.frames.last() {
                Some(Frame::Native(_)) => deliver_to_continuation(ctx, thread, st, Ok(())),
                _ => Ok(Flow::Continue),
            }
        }
        ReturnKind::Store { reg } => {
            let v = if n > 0 { st.stack[src] } else { Value::Nil };
            let base = restore_lua_extent(st);
            st.stack[base + reg as usize] = v;
            Ok(Flow::Continue)
        }
        ReturnKind::Finalizer => {
            st.stack.truncate(func);
            Ok(Flow::Continue)
        }
        ReturnKind::Discard => {
            restore_lua_extent(st);
            Ok(Flow::Continue)
        }
        ReturnKind::Compare { expect, negate } => {
            let v = n > 0 && st.stack[src].is_truthy();
            restore_lua_extent(st);
            conditional_jump(st, (v != negate) == expect);
            Ok(Flow::Continue)
        }
        ReturnKind::Concat { at, first, dest } => {
            let v = if n > 0 { st.stack[src] } else { Value::Nil };
            let base = restore_lua_extent(st);
            st.stack[base + at as usize] = v;
            execute::continue_concat(ctx, thread, st, first, at, dest)
        }
        ReturnKind::ForIterator { a, wanted } => {
            // The results may lie above the caller's registers (a Lua iterator's frame): move them
            // down before the register window is restored, which pads them with nils.
            move_values(&mut st.stack, src, func, n);
            st.stack.truncate(func + n.min(wanted as usize));
            let base = restore_lua_extent(st);
            let dest = base + a as usize + 3;
            let first = st.stack[dest];
            if !first.is_nil() {
                st.stack[dest - 1] = first;
            }
            conditional_jump(st, !first.is_nil());
            Ok(Flow::Continue)
        }
        ReturnKind::ErrorHandler { catcher } => {
            let v = if n > 0 { st.stack[src] } else { Value::Nil };
            unwind_to(ctx, st, catcher as usize);
            deliver_to_continuation(ctx, thread, st, Err(v))
        }
        ReturnKind::Hook { resume } => {
            st.stack.truncate(func);
            resume_after_hook(ctx, thread, st, resume)
        }
    }
}

/// Restores the innermost Lua frame's register window after a metamethod call; returns its base.
fn restore_lua_extent(st: &mut ThreadState<'_>) -> usize {
    let Some(Frame::Lua(caller)) = st.frames.last() else {
        unreachable!("metamethod results without a Lua caller");
    };
    let base = caller.base;
    let extent = base + caller.closure.proto.max_stack;
    st.stack.truncate(extent);
    st.stack.resize(extent, Value::Nil);
    base
}

/// Finishes a test instruction of the innermost Lua frame: the following jump is taken if `take`.
fn conditional_jump(st: &mut ThreadState<'_>, take: bool) {
    let Some(Frame::Lua(f)) = st.frames.last_mut() else {
        return;
    };
    if take {
        let jump = f.closure.proto.code[f.pc];
        f.pc = (f.pc as i64 + opcode::get_sbx(jump) as i64) as usize;
    }
    f.pc += 1;
}

/// Whether any open upvalue refers to slot `level` or above (the cheap test before
/// [`close_upvalues`]).
#[inline(always)]
pub fn has_open_upvalues_from(st: &ThreadState<'_>, level: usize) -> bool {
    st.open_upvalues.last().is_some_and(|u| u.slot >= level)
}

/// Closes every open upvalue at or above slot `level`.
pub fn close_upvalues<'gc>(ctx: Ctx<'gc>, st: &mut ThreadState<'gc>, level: usize) {
    while let Some(&up) = st.open_upvalues.last() {
        if up.slot < level {
            break;
        }
        up.cell
            .unlock(ctx.mc)
            .set(UpValueState::Closed(st.stack[up.slot]));
        st.open_upvalues.pop();
    }
}

/// The open upvalue for slot `index`, created if needed.
pub fn find_upvalue<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    index: usize,
) -> UpValue<'gc> {
    let mut pos = st.open_upvalues.len();
    while pos > 0 {
        let up = st.open_upvalues[pos - 1];
        if up.slot == index {
            return up.cell;
        }
        if up.slot < index {
            break;
        }
        pos -= 1;
    }
    let cell = Gc::new(ctx.mc, Lock::new(UpValueState::Open(thread, index)));
    st.open_upvalues
        .insert(pos, OpenUpValue { slot: index, cell });
    cell
}

/// Pops frames above `catcher` (closing their upvalues) and empties its window.
fn unwind_to<'gc>(ctx: Ctx<'gc>, st: &mut ThreadState<'gc>, catcher: usize) {
    let Frame::Native(frame) = st.frames[catcher] else {
        unreachable!("catcher is a native frame");
    };
    close_upvalues(ctx, st, frame.call_base);
    st.frames.truncate(catcher + 1);
    st.stack.truncate(frame.call_base);
    if st.in_hook {
        st.in_hook = st
            .frames
            .iter()
            .any(|f| matches!(f.ret(), ReturnKind::Hook { .. }));
    }
}

/// Raises `error` in the running thread: runs an `xpcall` handler or unwinds to the nearest `pcall`.
/// `Ok` holds the step that follows, which may itself be a new error (the catching continuation,
/// or the handler, can fail at once) to raise in turn; `Err` means no frame of this thread catches
/// `error` (the thread dies; its frames are still intact).
pub fn raise<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    error: Value<'gc>,
) -> Result<Step<'gc>, Value<'gc>> {
    let mut index = st.frames.len();
    while index > 0 {
        index -= 1;
        match st.frames[index] {
            Frame::Lua(LuaFrame {
                ret: ReturnKind::ErrorHandler { catcher },
                ..
            })
            | Frame::Native(NativeFrame {
                ret: ReturnKind::ErrorHandler { catcher },
                ..
            }) => {
                let catcher = catcher as usize;
                unwind_to(ctx, st, catcher);
                let message = ctx.str("error in error handling");
                return Ok(deliver_to_continuation(ctx, thread, st, Err(message)));
            }
            Frame::Native(NativeFrame {
                cont: Some(cont), ..
            }) if cont.catch != Catch::No => {
                if cont.catch == Catch::WithHandler {
                    let func = st.stack.len();
                    st.stack.push(cont.state);
                    st.stack.push(error);
                    let ret = ReturnKind::ErrorHandler {
                        catcher: index as u32,
                    };
                    return Ok(call_value(ctx, thread, st, func, ret, false));
                }
                unwind_to(ctx, st, index);
                return Ok(deliver_to_continuation(ctx, thread, st, Err(error)));
            }
            _ => {}
        }
    }
    Err(error)
}

/// Runs the running threads until the host call finishes or `fuel` is spent.
pub fn run<'gc>(ctx: Ctx<'gc>, fuel: &mut i64) -> RunStatus<'gc> {
    loop {
        if *fuel <= 0 || ctx.state.collection_requested.get() {
            return RunStatus::Pending;
        }
        let thread = ctx.current_thread();
        let step = {
            let mut st = thread.state_mut(ctx.mc);
            match st.frames.last() {
                None => None,
                Some(Frame::Lua(_)) if ctx.state.gc_registry.borrow().has_pending() => {
                    Some(start_finalizers(ctx, thread, &mut st))
                }
                Some(Frame::Lua(_)) => Some(execute::run_lua(ctx, thread, &mut st, fuel)),
                Some(Frame::Native(_)) => {
                    Some(deliver_to_continuation(ctx, thread, &mut st, Ok(())))
                }
                Some(Frame::Yielded { .. }) => {
                    unreachable!("a running thread is never parked in a yield")
                }
            }
        };
        let step = match step {
            Some(step) => step,
            None if ctx.state.running.borrow().len() <= 1 => return RunStatus::Finished,
            None => finish_coroutine(ctx, thread),
        };
        if let Some(status) = drive(ctx, step) {
            return status;
        }
    }
}

/// Acts on a step of the running thread; returns the step that follows from it (for the thread
/// that is running afterwards), or the end of the host call.
fn handle_step<'gc>(ctx: Ctx<'gc>, step: Step<'gc>) -> Result<Option<Step<'gc>>, RunStatus<'gc>> {
    let thread = ctx.current_thread();
    match step {
        Ok(Flow::Continue) => Ok(None),
        Ok(Flow::Yield { from }) => {
            let values: Vec<Value<'gc>> = thread.state_mut(ctx.mc).stack.drain(from..).collect();
            thread.set_status(ThreadStatus::Suspended);
            ctx.state.running.borrow_mut(ctx.mc).pop();
            Ok(Some(resume_resumer(ctx, Ok(values))))
        }
        Ok(Flow::Resume { from }) => {
            let running = ctx.state.running.borrow();
            let resumer = running[running.len() - 2];
            let co = running[running.len() - 1];
            drop(running);
            let args: Vec<Value<'gc>> = resumer.state_mut(ctx.mc).stack.drain(from..).collect();
            resumer.set_status(ThreadStatus::Normal);
            co.set_status(ThreadStatus::Running);
            Ok(Some(start_resumed(ctx, co, args)))
        }
        Err(error) => {
            let mut st = thread.state_mut(ctx.mc);
            match raise(ctx, thread, &mut st, error) {
                Ok(step) => Ok(Some(step)),
                Err(error) => {
                    st.in_hook = false;
                    if ctx.state.running.borrow().len() <= 1 {
                        let traceback = debug::traceback(&st.frames, 2, true);
                        close_upvalues(ctx, &mut st, 0);
                        st.frames.clear();
                        st.stack.clear();
                        return Err(RunStatus::Failed { error, traceback });
                    }
                    // The dead coroutine keeps its frames for `debug.traceback(co)`, as in 5.1.
                    close_upvalues(ctx, &mut st, 0);
                    drop(st);
                    thread.set_status(ThreadStatus::Dead);
                    ctx.state.running.borrow_mut(ctx.mc).pop();
                    Ok(Some(resume_resumer(ctx, Err(error))))
                }
            }
        }
    }
}

/// A coroutine ran out of frames: it returned; its results go to its resumer.
fn finish_coroutine<'gc>(ctx: Ctx<'gc>, thread: Thread<'gc>) -> Step<'gc> {
    let values: Vec<Value<'gc>> = {
        let mut st = thread.state_mut(ctx.mc);
        close_upvalues(ctx, &mut st, 0);
        st.stack.drain(..).collect()
    };
    thread.set_status(ThreadStatus::Dead);
    ctx.state.running.borrow_mut(ctx.mc).pop();
    resume_resumer(ctx, Ok(values))
}

/// Hands a coroutine's yield/return values (or error) to the native frame that resumed it.
fn resume_resumer<'gc>(ctx: Ctx<'gc>, outcome: Result<Vec<Value<'gc>>, Value<'gc>>) -> Step<'gc> {
    let resumer = ctx.current_thread();
    resumer.set_status(ThreadStatus::Running);
    let mut st = resumer.state_mut(ctx.mc);
    let (base, catches) = match st.frames.last() {
        Some(Frame::Native(f)) => (f.call_base, f.cont.is_some_and(|c| c.catch != Catch::No)),
        _ => unreachable!("a resumer waits in a native frame"),
    };
    st.stack.truncate(base);
    match outcome {
        Ok(values) => {
            st.stack.extend_from_slice(&values);
            deliver_to_continuation(ctx, resumer, &mut st, Ok(()))
        }
        Err(e) if catches => deliver_to_continuation(ctx, resumer, &mut st, Err(e)),
        Err(e) => Err(e),
    }
}

/// Starts or continues a coroutine just pushed on the running chain.
fn start_resumed<'gc>(ctx: Ctx<'gc>, co: Thread<'gc>, args: Vec<Value<'gc>>) -> Step<'gc> {
    let mut st = co.state_mut(ctx.mc);
    match st.frames.last().copied() {
        None => {
            // A fresh coroutine: slot 0 holds its body.
            st.stack.truncate(1);
            st.stack.extend_from_slice(&args);
            call_value(ctx, co, &mut st, 0, ReturnKind::Native, false)
        }
        Some(Frame::Yielded { func, ret }) => {
            let src = st.stack.len();
            let n = args.len();
            st.stack.extend_from_slice(&args);
            if co.hook_mask() & hook_mask::RETURN != 0 && !st.in_hook {
                let resume = HookResume::Yielded { results: n };
                return hook::fire(ctx, co, &mut st, "return", None, resume);
            }
            st.frames.pop();
            deliver(ctx, co, &mut st, func, ret, src, n)
        }
        Some(Frame::Native(f)) => {
            st.stack.truncate(f.call_base);
            st.stack.extend_from_slice(&args);
            deliver_to_continuation(ctx, co, &mut st, Ok(()))
        }
        Some(Frame::Lua(_)) => unreachable!("a suspended coroutine is parked in a yield"),
    }
}

/// Raises `message` as an error in the running thread at its current instruction, without a
/// position prefix (lua.c's `interrupted!`: the traceback shows where). Returns the status if that
/// ended the host call.
pub fn raise_error<'gc>(ctx: Ctx<'gc>, message: &[u8]) -> Option<RunStatus<'gc>> {
    let thread = ctx.current_thread();
    let error = {
        let mut st = thread.state_mut(ctx.mc);
        // A slice that ended on a backward jump left pc at the jump's target, which may be the
        // first instruction (pc 0 reads as "not started", with no line). The frame is about to be
        // unwound, so point it at that instruction for the message and the traceback.
        if let Some(Frame::Lua(f)) = st.frames.last_mut() {
            f.pc = f.pc.max(1);
        }
        ctx.str(message)
    };
    drive(ctx, Err(error))
}

/// Handles `step` and everything that follows from it without running the dispatch loop.
fn drive<'gc>(ctx: Ctx<'gc>, step: Step<'gc>) -> Option<RunStatus<'gc>> {
    let mut next = Some(step);
    while let Some(step) = next.take() {
        match handle_step(ctx, step) {
            Ok(more) => next = more,
            Err(status) => return Some(status),
        }
    }
    None
}

/// Starts a host call of `function` with `args` on the main thread (which must be idle). Returns
/// the status if the call already finished (a native that returned, or an immediate error);
/// otherwise continue with [`run`].
pub fn start_call<'gc>(
    ctx: Ctx<'gc>,
    function: Value<'gc>,
    args: &[Value<'gc>],
) -> Option<RunStatus<'gc>> {
    let thread = ctx.state.main_thread;
    let step = {
        let mut st = thread.state_mut(ctx.mc);
        st.stack.clear();
        st.frames.clear();
        st.stack.push(function);
        st.stack.extend_from_slice(args);
        call_value(ctx, thread, &mut st, 0, ReturnKind::Native, false)
    };
    if let Some(status) = drive(ctx, step) {
        return Some(status);
    }
    if thread.0.state.borrow().frames.is_empty() {
        Some(RunStatus::Finished)
    } else {
        None
    }
}

/// Calls the queued `__gc` finalizers on top of the running Lua frame.
fn start_finalizers<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
) -> Step<'gc> {
    let pending = super::gc::take_pending(ctx);
    let func = st.stack.len();
    st.stack.push(NativeClosure::function(
        ctx.mc,
        "__gc",
        super::gc::run_finalizers,
        Vec::new(),
    ));
    st.stack.extend(pending.into_iter().map(Value::UserData));
    call_value(ctx, thread, st, func, ReturnKind::Finalizer, false)
}
