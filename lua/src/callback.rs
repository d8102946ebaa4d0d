//! The native-function API: how Rust code runs inside the VM without ever holding it.
//!
//! A native function receives a [`Ctx`] (allocation, strings, globals) and a [`Stack`] — a window on
//! the running thread's value stack holding its arguments — and returns an [`Action`]: return the
//! values now in the window, call a function and continue in a [`Continuation`] with its results (or
//! its error), yield, or resume a coroutine. Errors are returned as [`NativeError`]. Because the VM
//! performs the call, a native never re-enters the interpreter: `pcall`, `sort` comparators and
//! `__tostring` calls are ordinary frames, and all of them can yield.

use gc_arena::Gc;

use crate::function::NativeClosure;
use crate::thread::Thread;
use crate::value::Value;
use crate::vm::frame::Frame;
use crate::vm::Ctx;

/// Result of a native function or continuation.
pub type NativeResult<'gc> = Result<Action<'gc>, NativeError<'gc>>;

/// A native function.
pub type NativeFn = for<'gc> fn(Ctx<'gc>, &mut Stack<'gc, '_>) -> NativeResult<'gc>;

/// A continuation: called with the results (`Ok`) or, if it catches errors, the error value (`Err`)
/// of the call its native asked for. The window holds the results, or is empty on error.
pub type ContinuationFn = for<'gc> fn(
    Ctx<'gc>,
    &mut Stack<'gc, '_>,
    Value<'gc>,
    Result<(), Value<'gc>>,
) -> NativeResult<'gc>;

/// How a continuation treats errors raised by the call it waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Catch {
    /// Errors pass through to outer frames.
    No,
    /// Errors are delivered to the continuation (`pcall`).
    Yes,
    /// Errors are first passed to the handler held in the continuation's state, before the stack
    /// unwinds; its result is delivered to the continuation (`xpcall`).
    WithHandler,
}

/// What to do after a call completes.
#[derive(Clone, Copy)]
pub struct Continuation<'gc> {
    /// The code to run.
    pub func: ContinuationFn,
    /// A value carried to `func` (for `Catch::WithHandler`, the handler).
    pub state: Value<'gc>,
    /// Error handling.
    pub catch: Catch,
}

// SAFETY: only `state` holds garbage-collected data, and it is traced.
unsafe impl<'gc> gc_arena::Collect<'gc> for Continuation<'gc> {
    fn trace<T: gc_arena::collect::Trace<'gc>>(&self, cc: &mut T) {
        cc.trace(&self.state);
    }
}

impl<'gc> Continuation<'gc> {
    /// A continuation that lets errors pass.
    pub fn new(func: ContinuationFn, state: Value<'gc>) -> Self {
        Continuation {
            func,
            state,
            catch: Catch::No,
        }
    }

    /// A continuation that receives errors.
    pub fn catching(func: ContinuationFn, state: Value<'gc>) -> Self {
        Continuation {
            func,
            state,
            catch: Catch::Yes,
        }
    }
}

/// What a native function wants the VM to do next.
pub enum Action<'gc> {
    /// Return the values in the window.
    Return,
    /// Call `function` with the values in the window after the first `keep` as arguments. With a
    /// continuation, run it with the window holding the kept values followed by the results (on
    /// error, just the kept values); without, the results are returned to this native's caller (a
    /// tail call, `keep` ignored).
    Call {
        /// The function (any callable value).
        function: Value<'gc>,
        /// Values at the bottom of the window preserved across the call.
        keep: usize,
        /// What runs next.
        then: Option<Continuation<'gc>>,
    },
    /// Yield the values in the window. When resumed, the resume arguments are returned to the
    /// caller, or passed to the continuation.
    Yield {
        /// What runs on resume.
        then: Option<Continuation<'gc>>,
    },
    /// Resume `thread` with the values in the window; its yield or return values (or error) go to
    /// the continuation.
    Resume {
        /// The coroutine.
        thread: Thread<'gc>,
        /// Receives the outcome; must catch errors to see them.
        then: Continuation<'gc>,
    },
}

/// An error raised by a native function.
#[derive(Debug)]
pub enum NativeError<'gc> {
    /// Raise exactly this value (`error(v, 0)`, `error({})`).
    Value(Value<'gc>),
    /// Raise a message prefixed with the position of the function at `level` (1 = the caller of the
    /// native), as `luaL_error` and `error(msg, level)` do.
    Located {
        /// The message.
        message: Vec<u8>,
        /// Call level whose position prefixes the message.
        level: u32,
    },
    /// `bad argument #arg to 'name' (message)`, worded by the VM, which knows the call site.
    BadArgument {
        /// 1-based argument number.
        arg: usize,
        /// The parenthesised explanation.
        message: String,
    },
}

impl<'gc> NativeError<'gc> {
    /// A `luaL_error`-style error: the message, prefixed with the caller's position.
    pub fn runtime(message: impl Into<Vec<u8>>) -> Self {
        NativeError::Located {
            message: message.into(),
            level: 1,
        }
    }

    /// A bad-argument error.
    pub fn bad_argument(arg: usize, message: impl Into<String>) -> Self {
        NativeError::BadArgument {
            arg,
            message: message.into(),
        }
    }

    /// `bad argument #arg to 'f' (T expected, got U)`.
    /// `got` is the type name of the argument, or `no value` when it was not passed.
    pub fn type_error(arg: usize, expected: &str, got: &str) -> Self {
        Self::bad_argument(arg, format!("{expected} expected, got {got}"))
    }
}

/// The window a native function works in: its arguments on entry, its results on return.
pub struct Stack<'gc, 'a> {
    pub(crate) values: &'a mut Vec<Value<'gc>>,
    pub(crate) base: usize,
    pub(crate) frames: &'a [Frame<'gc>],
    pub(crate) thread: Thread<'gc>,
    pub(crate) callee: Option<Gc<'gc, NativeClosure<'gc>>>,
}

impl<'gc, 'a> Stack<'gc, 'a> {
    /// Number of values in the window.
    #[inline]
    pub fn len(&self) -> usize {
        self.values.len() - self.base
    }

    /// Whether the window is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` (0-based), `nil` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Value<'gc> {
        self.values
            .get(self.base + i)
            .copied()
            .unwrap_or(Value::Nil)
    }

    /// Whether argument `i` (0-based) was passed at all (even as nil).
    #[inline]
    pub fn has(&self, i: usize) -> bool {
        self.base + i < self.values.len()
    }

    /// The type name of argument `i` (0-based) for messages: `no value` when it was not passed.
    pub fn type_name_of(&self, i: usize) -> &'static str {
        if self.has(i) {
            self.get(i).type_name()
        } else {
            "no value"
        }
    }

    /// Replaces value `i`, growing the window with nils if needed.
    pub fn set(&mut self, i: usize, v: Value<'gc>) {
        let at = self.base + i;
        if at >= self.values.len() {
            self.values.resize(at + 1, Value::Nil);
        }
        self.values[at] = v;
    }

    /// Appends a value.
    #[inline]
    pub fn push(&mut self, v: Value<'gc>) {
        self.values.push(v);
    }

    /// Removes and returns the last value.
    pub fn pop(&mut self) -> Value<'gc> {
        if !self.is_empty() {
            self.values.pop().unwrap_or_default()
        } else {
            Value::Nil
        }
    }

    /// Keeps the first `n` values (padding with nils).
    pub fn resize(&mut self, n: usize) {
        self.values.resize(self.base + n, Value::Nil);
    }

    /// Empties the window.
    #[inline]
    pub fn clear(&mut self) {
        self.values.truncate(self.base);
    }

    /// Replaces the whole window with `vals`.
    pub fn replace(&mut self, vals: &[Value<'gc>]) {
        self.values.truncate(self.base);
        self.values.extend_from_slice(vals);
    }

    /// Removes the first `n` values, shifting the rest down.
    pub fn drain_front(&mut self, n: usize) {
        let n = n.min(self.len());
        self.values.drain(self.base..self.base + n);
    }

    /// Inserts a value at position `i` of the window.
    pub fn insert(&mut self, i: usize, v: Value<'gc>) {
        let at = (self.base + i).min(self.values.len());
        self.values.insert(at, v);
    }

    /// The values as a slice.
    pub fn as_slice(&self) -> &[Value<'gc>] {
        &self.values[self.base..]
    }

    /// The upvalues of the running native closure (empty for a continuation).
    pub fn upvalues(&self) -> &'gc [Value<'gc>] {
        match self.callee {
            Some(c) => &Gc::as_ref(c).upvalues,
            None => &[],
        }
    }

    /// The running thread.
    pub fn thread(&self) -> Thread<'gc> {
        self.thread
    }

    /// The running thread's call frames, innermost last (for debug functions). The frame of this
    /// native is the last one.
    pub fn frames(&self) -> &[Frame<'gc>] {
        self.frames
    }

    /// The whole value stack of the running thread (for debug functions).
    pub fn thread_values(&mut self) -> &mut Vec<Value<'gc>> {
        self.values
    }
}
