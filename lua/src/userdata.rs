//! Full userdata: an opaque Rust payload with a metatable and an environment (5.1 userdata have both).

use std::any::Any;
use std::cell::{Cell, RefCell};

use gc_arena::{lock::Lock, Collect, Gc, Mutation};

use crate::table::Table;
use crate::vm::Ctx;

/// The contents of a userdata.
#[derive(Collect)]
#[collect(no_drop)]
pub struct UserDataData<'gc> {
    /// The metatable.
    pub metatable: Lock<Option<Table<'gc>>>,
    /// The environment table.
    pub env: Lock<Option<Table<'gc>>>,
    /// The Rust payload (`()` for `newproxy`).
    #[collect(require_static)]
    pub payload: RefCell<Box<dyn Any>>,
    /// Whether `__gc` has been scheduled already (it runs at most once).
    #[collect(require_static)]
    pub finalized: Cell<bool>,
}

/// A garbage-collected userdata.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub struct UserData<'gc>(pub Gc<'gc, UserDataData<'gc>>);

impl PartialEq for UserData<'_> {
    fn eq(&self, other: &Self) -> bool {
        Gc::ptr_eq(self.0, other.0)
    }
}

impl std::fmt::Debug for UserData<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "userdata: {:p}", self.as_ptr())
    }
}

impl<'gc> UserData<'gc> {
    /// A new userdata holding `payload`.
    pub fn new(mc: &Mutation<'gc>, payload: Box<dyn Any>) -> UserData<'gc> {
        UserData(Gc::new(
            mc,
            UserDataData {
                metatable: Lock::new(None),
                env: Lock::new(None),
                payload: RefCell::new(payload),
                finalized: Cell::new(false),
            },
        ))
    }

    /// Address, for printing.
    pub fn as_ptr(self) -> *const () {
        Gc::as_ptr(self.0) as *const ()
    }

    /// The metatable.
    pub fn metatable(self) -> Option<Table<'gc>> {
        self.0.metatable.get()
    }

    /// Replaces the metatable. A userdata with a metatable is watched by the collector, which
    /// calls `__gc` if the metatable has one when the userdata dies (as 5.1 checks then).
    pub fn set_metatable(self, ctx: Ctx<'gc>, mt: Option<Table<'gc>>) {
        gc_arena::barrier::unlock!(Gc::write(ctx.mc, self.0), UserDataData, metatable).set(mt);
        if mt.is_some() {
            ctx.state
                .gc_registry
                .borrow_mut(ctx.mc)
                .add_finalizable(self);
        }
    }
}
