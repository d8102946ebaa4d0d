//! Debug hooks (`debug.sethook`): deciding when an event fires and calling the hook function.
//!
//! A hook is called like a metamethod, as an ordinary frame on top of the frame it interrupts,
//! with [`ReturnKind::Hook`] saying how that frame goes on. A Lua frame is interrupted *before*
//! the instruction that triggered the event and re-runs it afterwards; the thread's `hook_skip`
//! bits tell the re-run which hooks were already called for it. While a hook runs, the thread's
//! `in_hook` flag turns hooks off (5.1's `allowhook`). None of this runs unless the thread's hook
//! mask is non-zero: the dispatch loop checks one local per instruction.

use crate::function::FunctionProto;
use crate::thread::{hook_mask, Thread, ThreadState};
use crate::value::Value;

use super::call::{self, Step};
use super::frame::{HookResume, ReturnKind};
use super::Ctx;

/// The call hook was called for the frame (it is at pc 0 again after another hook).
pub const SKIP_CALL: u8 = 1;
/// The count event was handled for the instruction.
pub const SKIP_COUNT: u8 = 2;
/// The line event was handled (or not due) for the instruction.
pub const SKIP_LINE: u8 = 4;
/// The line event is due although the count hook ran first.
pub const FORCE_LINE: u8 = 8;
/// The return hook was called.
pub const SKIP_RETURN: u8 = 16;
/// The tail-return hook was called.
pub const SKIP_TAIL_RETURN: u8 = 32;

/// Everything done for an instruction once a hook interrupted it.
const TRACED: u8 = SKIP_CALL | SKIP_COUNT | SKIP_LINE;

/// Calls the hook function of `thread` with `event` (and the line, for line events); `resume`
/// says how the interrupted frame continues.
pub fn fire<'gc>(
    ctx: Ctx<'gc>,
    thread: Thread<'gc>,
    st: &mut ThreadState<'gc>,
    event: &str,
    line: Option<u32>,
    resume: HookResume,
) -> Step<'gc> {
    st.in_hook = true;
    let func = st.stack.len();
    st.stack.push(thread.0.hook_function.get());
    st.stack.push(ctx.str(event));
    st.stack
        .push(line.map_or(Value::Nil, |l| Value::Number(l as f64)));
    call::call_value(ctx, thread, st, func, ReturnKind::Hook { resume }, false)
}

/// Takes the skip bits left for the Lua frame resuming after a hook.
pub fn take_skip(thread: Thread<'_>) -> u8 {
    thread.0.hook_skip.replace(0)
}

/// The line and count events due before instruction `cur` of `proto` (`traceexec`): `old_pc` is
/// the frame's pc after the previous traced instruction (0 on entry), `mask` the events that may
/// fire (none inside a hook, where instructions are still counted, as in 5.1). Returns the event
/// to fire, its line argument and the skip bits for the instruction's re-run.
pub fn trace(
    thread: Thread<'_>,
    proto: &FunctionProto<'_>,
    cur: usize,
    old_pc: usize,
    mask: u8,
    skip: u8,
) -> Option<(&'static str, Option<u32>, u8)> {
    let line_at = |pc: usize| proto.info.line_info.get(pc).copied().unwrap_or(0);
    let line = line_at(cur);
    let line_due = mask & hook_mask::LINE != 0
        && skip & SKIP_LINE == 0
        && (skip & FORCE_LINE != 0
            || cur == 0
            || old_pc == 0
            || cur < old_pc
            || line != line_at(old_pc - 1));
    let mut count_due = false;
    if skip & SKIP_COUNT == 0 {
        let left = thread.0.hook_countdown.get().saturating_sub(1);
        count_due = thread.hook_mask() & hook_mask::COUNT != 0 && left == 0;
        let reset = if count_due {
            thread.0.hook_count.get()
        } else {
            left
        };
        thread.0.hook_countdown.set(reset);
    }
    if count_due && mask & hook_mask::COUNT != 0 {
        let then = if line_due { FORCE_LINE } else { SKIP_LINE };
        Some(("count", None, SKIP_CALL | SKIP_COUNT | then))
    } else if line_due {
        Some(("line", Some(line), TRACED))
    } else {
        None
    }
}

/// The return event due at a Lua `RETURN` whose instruction already ran the hooks in `skip`:
/// `return`, then `tail return` for a frame that replaced its caller.
pub fn return_event(skip: u8, tail_call: bool) -> Option<(&'static str, u8)> {
    if skip & SKIP_RETURN == 0 {
        Some(("return", TRACED | SKIP_RETURN))
    } else if tail_call && skip & SKIP_TAIL_RETURN == 0 {
        Some(("tail return", TRACED | SKIP_RETURN | SKIP_TAIL_RETURN))
    } else {
        None
    }
}
