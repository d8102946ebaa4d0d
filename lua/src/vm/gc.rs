//! Collector semantics Lua adds on top of gc-arena: weak tables, `__gc` finalizers, and the
//! interner forgetting dead strings.
//!
//! All of it happens at the end of marking, when the collector knows what is dead and nothing is
//! freed yet: first [`resurrect_finalizable`], then (marking finished again) [`clear_dead`]. Weak tables hold their weak parts through weak pointers and drop dead
//! entries there; a dead userdata whose metatable has `__gc` is resurrected (with everything it
//! references) and queued, and the queue is run by [`run_finalizers`] as an ordinary native call on
//! top of the running Lua frame, once per object.

use gc_arena::barrier::Unlock;
use gc_arena::lock::RefLock;
use gc_arena::{Collect, Finalization, Gc, GcWeak, Mutation};

use crate::callback::{Action, Continuation, NativeResult, Stack};
use crate::table::{Table, TableData};
use crate::userdata::{UserData, UserDataData};
use crate::value::Value;

use super::meta::Event;
use super::{ops, Ctx, GlobalState};

/// The objects the collector must treat specially.
#[derive(Default)]
pub struct GcRegistry<'gc> {
    weak_tables: Vec<GcWeak<'gc, RefLock<TableData<'gc>>>>,
    finalizable: Vec<GcWeak<'gc, UserDataData<'gc>>>,
    /// Resurrected userdata whose `__gc` has yet to run, oldest first.
    pending: Vec<UserData<'gc>>,
}

// SAFETY: the registry lists are weak (reported with `trace_gc_weak`) and the pending queue is
// strong; nothing else is held.
unsafe impl<'gc> Collect<'gc> for GcRegistry<'gc> {
    fn trace<T: gc_arena::collect::Trace<'gc>>(&self, cc: &mut T) {
        for t in &self.weak_tables {
            cc.trace_gc_weak(GcWeak::erase(*t));
        }
        for u in &self.finalizable {
            cc.trace_gc_weak(GcWeak::erase(*u));
        }
        for u in &self.pending {
            cc.trace(u);
        }
    }
}

impl<'gc> GcRegistry<'gc> {
    /// Records a table whose metatable made it weak.
    pub fn add_weak_table(&mut self, t: Table<'gc>) {
        let weak = Gc::downgrade(t.0);
        if !self.weak_tables.iter().any(|w| GcWeak::ptr_eq(*w, weak)) {
            self.weak_tables.push(weak);
        }
    }

    /// Records a userdata whose metatable has `__gc`.
    pub fn add_finalizable(&mut self, u: UserData<'gc>) {
        let weak = Gc::downgrade(u.0);
        if !self.finalizable.iter().any(|w| GcWeak::ptr_eq(*w, weak)) {
            self.finalizable.push(weak);
        }
    }

    /// Whether finalizers are waiting to run.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Queues every live finalizable userdata (the state is closing), newest first like 5.1.
    pub fn schedule_all(&mut self, mc: &Mutation<'gc>) {
        for weak in self.finalizable.drain(..).rev() {
            if let Some(u) = weak.upgrade(mc) {
                if !u.finalized.replace(true) {
                    self.pending.push(UserData(u));
                }
            }
        }
    }
}

/// First end-of-marking step: dead userdata with `__gc` are resurrected and queued. Marking must
/// then finish again (the resurrected objects and what they reference) before [`clear_dead`].
pub fn resurrect_finalizable<'gc>(fc: &Finalization<'gc>, state: &GlobalState<'gc>) {
    queue_finalizers(fc, state);
}

/// Second end-of-marking step, once nothing more will be marked: the interner forgets dead
/// strings and weak tables drop dead entries, before the sweep frees them.
pub fn clear_dead<'gc>(fc: &Finalization<'gc>, state: &GlobalState<'gc>) {
    // SAFETY: the interner and the weak tables only lose pointers here, which never needs a write
    // barrier; taking one would re-gray them and undo the marking this callback runs after.
    let interner = unsafe { Gc::as_ref(state.interner).unlock_unchecked() };
    interner.borrow_mut().forget_dead(fc);
    clear_weak_tables(fc, state);
}

fn clear_weak_tables<'gc>(fc: &Finalization<'gc>, state: &GlobalState<'gc>) {
    // SAFETY: as above, only dead pointers are removed.
    let registry = unsafe { Gc::as_ref(state.gc_registry).unlock_unchecked() };
    let mut registry = registry.borrow_mut();
    registry.weak_tables.retain(|w| !w.is_dead(fc));
    for weak in &registry.weak_tables {
        if let Some(t) = weak.upgrade(fc) {
            // SAFETY: as above.
            let data = unsafe { Gc::as_ref(t).unlock_unchecked() };
            data.borrow_mut().clear_dead(fc, |gc| Gc::is_dead(fc, gc));
        }
    }
}

fn queue_finalizers<'gc>(fc: &Finalization<'gc>, state: &GlobalState<'gc>) {
    let mut doomed = Vec::new();
    {
        // SAFETY: dropping dead weak entries only removes pointers.
        let registry = unsafe { Gc::as_ref(state.gc_registry).unlock_unchecked() };
        let mut registry = registry.borrow_mut();
        registry.finalizable.retain(|w| {
            if !w.is_dead(fc) {
                return true;
            }
            // SAFETY: nothing is freed before sweeping starts, so a dead object (and its dead
            // metatable) can still be read during finalization.
            let data = unsafe { &*w.as_ptr() };
            let has_gc = data.metatable.get().is_some_and(|mt| mt.has_field(b"__gc"));
            if has_gc && !data.finalized.get() {
                if let Some(u) = w.resurrect(fc) {
                    u.finalized.set(true);
                    doomed.push(UserData(u));
                }
            }
            false
        });
    }
    if !doomed.is_empty() {
        state.gc_registry.borrow_mut(fc).pending.extend(doomed);
    }
}

/// Takes the queued finalizers: the userdata values, oldest first.
pub fn take_pending<'gc>(ctx: Ctx<'gc>) -> Vec<UserData<'gc>> {
    std::mem::take(&mut ctx.state.gc_registry.borrow_mut(ctx.mc).pending)
}

/// Native that calls `__gc(u)` for each userdata in its window, in order; errors are dropped.
pub fn run_finalizers<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    next_finalizer(ctx, stack)
}

fn next_finalizer<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    while !stack.is_empty() {
        let u = stack.get(0);
        stack.drain_front(1);
        let tm = ops::metamethod_of(ctx, u, Event::Gc);
        if tm.is_function() {
            let keep = stack.len();
            stack.push(u);
            return Ok(Action::Call {
                function: tm,
                keep,
                then: Some(Continuation::catching(
                    finalizer_done,
                    Value::Number(keep as f64),
                )),
            });
        }
    }
    Ok(Action::Return)
}

fn finalizer_done<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    pending: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let Value::Number(n) = pending else {
        return next_finalizer(ctx, stack);
    };
    stack.resize(n as usize);
    next_finalizer(ctx, stack)
}
