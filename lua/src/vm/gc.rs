//! Work done at the end of marking, when the collector knows what is dead and nothing is freed yet:
//! the string interner forgets dead strings, so their memory is freed in the same cycle.

use gc_arena::barrier::Unlock;
use gc_arena::{Finalization, Gc};

use super::GlobalState;

/// Runs the end-of-marking work of a collection cycle.
pub fn finalize<'gc>(fc: &Finalization<'gc>, state: &GlobalState<'gc>) {
    // SAFETY: forgetting entries only removes pointers from the interner, which never needs a
    // write barrier; taking the barrier here would re-gray the interner and undo the marking this
    // callback runs after.
    let interner = unsafe { Gc::as_ref(state.interner).unlock_unchecked() };
    interner.borrow_mut().forget_dead(fc);
}
