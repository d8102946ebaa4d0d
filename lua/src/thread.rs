//! Threads (coroutines): a value stack, a stack of call frames and the list of open upvalues.
//!
//! A thread's mutable state sits behind one `RefLock` that the VM borrows once while it runs the
//! thread; its status is a separate `Cell` so that natives can read any thread's status, the running
//! one included. The debug hook (`debug.sethook`) is kept in `Cell`s beside the status, for the
//! same reason: natives set it while the VM holds the state.

use std::cell::Cell;

use gc_arena::{
    lock::{Lock, RefLock},
    Collect, Gc, Mutation,
};

use crate::function::UpValue;
use crate::value::Value;
use crate::vm::frame::Frame;

/// What a coroutine is doing, as `coroutine.status` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadStatus {
    /// Created or yielded: may be resumed.
    Suspended,
    /// Running right now.
    Running,
    /// Resumed another coroutine and waits for it.
    Normal,
    /// Finished or died with an error.
    Dead,
}

impl ThreadStatus {
    /// The name `coroutine.status` returns.
    pub fn name(self) -> &'static str {
        match self {
            ThreadStatus::Suspended => "suspended",
            ThreadStatus::Running => "running",
            ThreadStatus::Normal => "normal",
            ThreadStatus::Dead => "dead",
        }
    }
}

/// An open upvalue with the stack slot it refers to, kept beside it so that returns can tell
/// whether anything needs closing without following the pointer.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub struct OpenUpValue<'gc> {
    /// The stack slot.
    #[collect(require_static)]
    pub slot: usize,
    /// The shared cell.
    pub cell: UpValue<'gc>,
}

/// The mutable state of a thread.
#[derive(Collect, Default)]
#[collect(no_drop)]
pub struct ThreadState<'gc> {
    /// The value stack: every frame's registers, arguments and results.
    pub stack: Vec<Value<'gc>>,
    /// Active calls, innermost last.
    pub frames: Vec<Frame<'gc>>,
    /// Upvalues still pointing into `stack`, sorted by slot.
    pub open_upvalues: Vec<OpenUpValue<'gc>>,
    /// A hook function is running: hooks are off until it returns (`allowhook`).
    #[collect(require_static)]
    pub in_hook: bool,
}

/// Hook event bits of [`Thread::hook_mask`] (`LUA_MASKCALL`...).
pub mod hook_mask {
    /// Function calls.
    pub const CALL: u8 = 1;
    /// Function returns.
    pub const RETURN: u8 = 2;
    /// New lines.
    pub const LINE: u8 = 4;
    /// Every `count` instructions.
    pub const COUNT: u8 = 8;
}

/// The shared part of a thread.
#[derive(Collect)]
#[collect(no_drop)]
pub struct ThreadData<'gc> {
    /// Status, readable while the thread runs.
    #[collect(require_static)]
    pub status: Cell<ThreadStatus>,
    /// Stack and frames.
    pub state: RefLock<ThreadState<'gc>>,
    /// The hook function (kept even when the mask is empty, as `debug.gethook` reports it).
    pub hook_function: Lock<Value<'gc>>,
    /// Events that call the hook ([`hook_mask`] bits); 0 = no hook.
    #[collect(require_static)]
    pub hook_mask: Cell<u8>,
    /// Instructions between count events.
    #[collect(require_static)]
    pub hook_count: Cell<u32>,
    /// Instructions left before the next count event.
    #[collect(require_static)]
    pub hook_countdown: Cell<u32>,
    /// Hooks already called for the instruction a Lua frame resumes at (VM bookkeeping).
    #[collect(require_static)]
    pub hook_skip: Cell<u8>,
    /// The hook was set by the host ([`Thread::set_host_hook`]): coroutines created by this
    /// thread get it too.
    #[collect(require_static)]
    pub hook_inherited: Cell<bool>,
}

/// A garbage-collected coroutine.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub struct Thread<'gc>(pub Gc<'gc, ThreadData<'gc>>);

impl PartialEq for Thread<'_> {
    fn eq(&self, other: &Self) -> bool {
        Gc::ptr_eq(self.0, other.0)
    }
}

impl std::fmt::Debug for Thread<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "thread: {:p}", self.as_ptr())
    }
}

impl<'gc> Thread<'gc> {
    /// A new, empty, suspended thread.
    pub fn new(mc: &Mutation<'gc>) -> Thread<'gc> {
        Thread(Gc::new(
            mc,
            ThreadData {
                status: Cell::new(ThreadStatus::Suspended),
                state: RefLock::new(ThreadState::default()),
                hook_function: Lock::new(Value::Nil),
                hook_mask: Cell::new(0),
                hook_count: Cell::new(0),
                hook_countdown: Cell::new(0),
                hook_skip: Cell::new(0),
                hook_inherited: Cell::new(false),
            },
        ))
    }

    /// Address, for printing.
    pub fn as_ptr(self) -> *const () {
        Gc::as_ptr(self.0) as *const ()
    }

    /// Current status.
    pub fn status(self) -> ThreadStatus {
        self.0.status.get()
    }

    /// Sets the status.
    pub fn set_status(self, status: ThreadStatus) {
        self.0.status.set(status)
    }

    /// Borrows the state mutably (with a write barrier).
    pub fn state_mut(self, mc: &Mutation<'gc>) -> std::cell::RefMut<'gc, ThreadState<'gc>> {
        gc_arena::barrier::unlock!(Gc::write(mc, self.0), ThreadData, state).borrow_mut()
    }

    /// Installs a debug hook (`lua_sethook`): `function` runs on the events in `mask`, count
    /// events every `count` instructions.
    pub fn set_hook(self, mc: &Mutation<'gc>, function: Value<'gc>, mask: u8, count: u32) {
        gc_arena::barrier::unlock!(Gc::write(mc, self.0), ThreadData, hook_function).set(function);
        self.0.hook_mask.set(mask);
        self.0.hook_count.set(count);
        self.0.hook_countdown.set(count);
        self.0.hook_skip.set(0);
        self.0.hook_inherited.set(false);
    }

    /// Installs a hook like [`Thread::set_hook`] that coroutines created by this thread inherit,
    /// as a C hook set with `lua_sethook` is copied by `lua_newthread` (a `debug.sethook` hook is
    /// per thread: 5.1 keys Lua hooks by thread, so they never fire in new coroutines).
    pub fn set_host_hook(self, mc: &Mutation<'gc>, function: Value<'gc>, mask: u8, count: u32) {
        self.set_hook(mc, function, mask, count);
        self.0.hook_inherited.set(true);
    }

    /// The events that call the hook.
    #[inline]
    pub fn hook_mask(self) -> u8 {
        self.0.hook_mask.get()
    }
}
