//! Threads (coroutines): a value stack, a stack of call frames and the list of open upvalues.
//!
//! A thread's mutable state sits behind one `RefLock` that the VM borrows once while it runs the
//! thread; its status is a separate `Cell` so that natives can read any thread's status, the running
//! one included.

use std::cell::Cell;

use gc_arena::{lock::RefLock, Collect, Gc, Mutation};

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

/// The mutable state of a thread.
#[derive(Collect, Default)]
#[collect(no_drop)]
pub struct ThreadState<'gc> {
    /// The value stack: every frame's registers, arguments and results.
    pub stack: Vec<Value<'gc>>,
    /// Active calls, innermost last.
    pub frames: Vec<Frame<'gc>>,
    /// Upvalues still pointing into `stack`, sorted by slot.
    pub open_upvalues: Vec<UpValue<'gc>>,
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
}
