//! Metamethod events, in Lua 5.1's order (`ltm.h`), with their names interned once per state.

use gc_arena::{Collect, Mutation};

use crate::string::{Interner, LuaString};

/// Number of Lua types, for per-type metatables.
pub const NUM_TYPES: usize = 8;

/// A metamethod event; the discriminant is the bit used by the tables' absent-metamethod cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Event {
    /// `__index`
    Index,
    /// `__newindex`
    NewIndex,
    /// `__gc`
    Gc,
    /// `__mode`
    Mode,
    /// `__eq`
    Eq,
    /// `__add`
    Add,
    /// `__sub`
    Sub,
    /// `__mul`
    Mul,
    /// `__div`
    Div,
    /// `__mod`
    Mod,
    /// `__pow`
    Pow,
    /// `__unm`
    Unm,
    /// `__len`
    Len,
    /// `__lt`
    Lt,
    /// `__le`
    Le,
    /// `__concat`
    Concat,
    /// `__call`
    Call,
    /// `__tostring` (not cached by 5.1, but cheap to treat alike)
    ToString,
    /// `__metatable`
    Metatable,
}

/// Names of all events, in [`Event`] order.
pub const EVENT_NAMES: [&str; 19] = [
    "__index",
    "__newindex",
    "__gc",
    "__mode",
    "__eq",
    "__add",
    "__sub",
    "__mul",
    "__div",
    "__mod",
    "__pow",
    "__unm",
    "__len",
    "__lt",
    "__le",
    "__concat",
    "__call",
    "__tostring",
    "__metatable",
];

/// The interned event names.
#[derive(Collect, Clone, Copy)]
#[collect(no_drop)]
pub struct MetaNames<'gc> {
    names: [LuaString<'gc>; 19],
}

impl<'gc> MetaNames<'gc> {
    /// Interns all names.
    pub fn new(mc: &Mutation<'gc>, interner: &mut Interner<'gc>) -> Self {
        MetaNames {
            names: EVENT_NAMES.map(|n| interner.intern(mc, n.as_bytes())),
        }
    }

    /// The name of `event`.
    #[inline]
    pub fn get(&self, event: Event) -> LuaString<'gc> {
        self.names[event as usize]
    }
}
