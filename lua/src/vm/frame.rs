//! Call frames: one per active call, Lua or native, and how each hands back its results.
//!
//! A frame records where its function sits on the stack (`func`, where results are copied) and a
//! [`ReturnKind`] saying what the caller does with them. Calls made by the VM on its own behalf —
//! metamethods, generic-for iterators — are ordinary frames whose return kind finishes the
//! instruction that started them, so nothing recurses on the Rust stack.

use gc_arena::{Collect, Gc};

use crate::callback::Continuation;
use crate::function::{LuaClosure, NativeClosure};

/// What happens to a finished call's results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnKind {
    /// From a Lua `CALL`: results at `func`, adjusted to `wanted` (or all of them when negative,
    /// setting the caller's `top`).
    Values {
        /// Results the caller wants, or -1 for all.
        wanted: i32,
    },
    /// To a native continuation (or the host): results at `func`, the stack truncated after them.
    Native,
    /// First result stored in register `reg` of the calling Lua frame (`__index`, arithmetic...).
    Store {
        /// Destination register.
        reg: u8,
    },
    /// Results dropped (`__newindex`).
    Discard,
    /// First result decides a conditional jump (`__eq`, `__lt`, `__le`): the next instruction
    /// (a jump) is taken when `truth(result) != negate` equals `expect`.
    Compare {
        /// The instruction's `A`.
        expect: bool,
        /// Invert the result first (`__le` emulated as `not __lt(b, a)`).
        negate: bool,
    },
    /// `__concat` result for a `CONCAT` still in progress: stored at register `at`, then the
    /// instruction resumes over `first..=at`.
    Concat {
        /// Register receiving the partial result.
        at: u8,
        /// First register of the concatenation.
        first: u8,
        /// Destination register of the instruction.
        dest: u8,
    },
    /// Generic-for iterator results for `TFORLOOP` with base register `a` and `wanted` results.
    ForIterator {
        /// The instruction's `A`.
        a: u8,
        /// The instruction's `C`.
        wanted: u8,
    },
    /// `__gc` finalizers run on top of a Lua frame: results dropped, the stack put back as it was.
    Finalizer,
    /// Result of an `xpcall` message handler: unwind to frame `catcher` and deliver it as the error.
    ErrorHandler {
        /// Index of the catching native frame.
        catcher: u32,
    },
    /// A debug hook returned: results dropped, then the interrupted frame goes on as `resume` says.
    Hook {
        /// What the hooked frame does next.
        resume: HookResume,
    },
}

/// How the frame interrupted by a debug hook continues once the hook returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookResume {
    /// The innermost Lua frame goes on; with `refetch` it re-runs the instruction it was about to
    /// execute, without calling again the hooks in `skip` (`vm::hook::SKIP_*` bits).
    Lua {
        /// Hooks already called for that instruction.
        skip: u8,
        /// Step back to the interrupted instruction.
        refetch: bool,
    },
    /// The innermost native frame was announced by a call hook: run its function now.
    NativeCall,
    /// The innermost native frame was returning: deliver its results now.
    NativeReturn,
    /// A resumed coroutine's `yield` was returning: deliver the resume values (the last
    /// `results` values of the stack) now.
    Yielded {
        /// How many resume values there are.
        results: usize,
    },
}

/// A call to a Lua function.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub struct LuaFrame<'gc> {
    /// The function.
    pub closure: Gc<'gc, LuaClosure<'gc>>,
    /// Stack slot of the function; results are copied here.
    #[collect(require_static)]
    pub func: usize,
    /// First register.
    #[collect(require_static)]
    pub base: usize,
    /// Next instruction (saved while the frame is not running).
    #[collect(require_static)]
    pub pc: usize,
    /// End of the values produced by an open call or vararg (saved while not running).
    #[collect(require_static)]
    pub top: usize,
    /// What the caller does with the results.
    #[collect(require_static)]
    pub ret: ReturnKind,
    /// Whether this frame replaced its caller by a tail call.
    #[collect(require_static)]
    pub tail_call: bool,
}

/// A call to a native function, running or waiting for a call it asked for.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub struct NativeFrame<'gc> {
    /// The function (for messages and tracebacks).
    pub function: Gc<'gc, NativeClosure<'gc>>,
    /// Stack slot of the function; results are copied here.
    #[collect(require_static)]
    pub func: usize,
    /// Start of the native's window.
    #[collect(require_static)]
    pub base: usize,
    /// Slot of the function this native is waiting on (results land here; errors unwind to here).
    #[collect(require_static)]
    pub call_base: usize,
    /// Set while waiting for a call: what runs when it completes.
    pub cont: Option<Continuation<'gc>>,
    /// What the caller does with the results.
    #[collect(require_static)]
    pub ret: ReturnKind,
}

/// One active call.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub enum Frame<'gc> {
    /// A Lua function.
    Lua(LuaFrame<'gc>),
    /// A native function.
    Native(NativeFrame<'gc>),
    /// A coroutine suspended by a yield with no continuation: resume values are returned as the
    /// yielding call's results.
    Yielded {
        /// Stack slot where the results go.
        #[collect(require_static)]
        func: usize,
        /// What the caller of `yield` does with them.
        #[collect(require_static)]
        ret: ReturnKind,
    },
}

impl<'gc> Frame<'gc> {
    /// Slot of the frame's function.
    pub fn func(&self) -> usize {
        match self {
            Frame::Lua(f) => f.func,
            Frame::Native(f) => f.func,
            Frame::Yielded { func, .. } => *func,
        }
    }

    /// What the caller does with the frame's results.
    pub fn ret(&self) -> ReturnKind {
        match self {
            Frame::Lua(f) => f.ret,
            Frame::Native(f) => f.ret,
            Frame::Yielded { ret, .. } => *ret,
        }
    }
}
