//! Lua strings: immutable byte strings, all interned (as in PUC-Rio Lua 5.1), so equality and table
//! lookups compare pointers and the hash is computed once, when the string is made.
//!
//! The interner is a weak set: it holds `GcWeak` pointers, so a string nobody references is collected
//! and its entry is pruned the next time the set grows.

use std::fmt;
use std::hash::{Hash, Hasher};

use gc_arena::{Collect, Finalization, Gc, Mutation};

/// The bytes of one string plus its Lua 5.1 hash.
#[derive(Collect)]
#[collect(require_static)]
pub struct StringData {
    hash: u32,
    bytes: Box<[u8]>,
}

impl Drop for StringData {
    fn drop(&mut self) {
        crate::heap::freed(self.bytes.len());
    }
}

/// A garbage-collected, interned Lua string.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub struct LuaString<'gc>(pub(crate) Gc<'gc, StringData>);

impl<'gc> LuaString<'gc> {
    /// The raw bytes.
    #[inline]
    pub fn as_bytes(self) -> &'gc [u8] {
        &Gc::as_ref(self.0).bytes
    }

    /// Lua 5.1's string hash (`luaS_newlstr`'s), which decides the order of keys in tables.
    #[inline]
    pub fn hash(self) -> u32 {
        self.0.hash
    }

    /// Length in bytes.
    #[inline]
    pub fn len(self) -> usize {
        self.0.bytes.len()
    }

    /// Whether the string is empty.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0.bytes.is_empty()
    }

    /// Address, for `%p`-style printing and pointer hashing.
    pub fn as_ptr(self) -> *const () {
        Gc::as_ptr(self.0) as *const ()
    }

    /// The string as UTF-8 text, with invalid bytes replaced.
    pub fn to_str_lossy(self) -> std::borrow::Cow<'gc, str> {
        String::from_utf8_lossy(self.as_bytes())
    }
}

impl PartialEq for LuaString<'_> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        Gc::ptr_eq(self.0, other.0)
    }
}

impl Eq for LuaString<'_> {}

impl Hash for LuaString<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u32(self.0.hash);
    }
}

impl fmt::Debug for LuaString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_str_lossy())
    }
}

/// Lua 5.1's string hash: seeded with the length, sampling at most 32 bytes.
pub fn hash_bytes(s: &[u8]) -> u32 {
    let len = s.len();
    let mut h = len as u32;
    let step = (len >> 5) + 1;
    let mut l1 = len;
    while l1 >= step {
        h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(s[l1 - 1] as u32);
        l1 -= step;
    }
    h
}

/// The set of all strings. It does not trace its entries: a string lives only while something else
/// references it, and [`Interner::forget_dead`] removes the dead ones at the end of every marking
/// phase, before the sweep that frees them (the VM starts sweeping in the same step, so no lookup can
/// hand out a string between the two). A lookup during marking may return a string not yet marked;
/// storing it anywhere goes through a write barrier (registers live in a thread borrowed with one),
/// exactly the argument gc-arena makes for `GcWeak::upgrade`.
pub struct Interner<'gc> {
    /// Open-addressed slots (linear probing); `None` is empty. Power-of-two length.
    slots: Vec<Option<Gc<'gc, StringData>>>,
    used: usize,
}

// SAFETY: the interner deliberately reports nothing: its entries are not references that keep
// strings alive. Soundness comes from `forget_dead` running between marking and sweeping.
unsafe impl<'gc> Collect<'gc> for Interner<'gc> {
    const NEEDS_TRACE: bool = false;
}

/// Smallest table the interner shrinks to.
const MIN_SLOTS: usize = 1024;

impl Default for Interner<'_> {
    fn default() -> Self {
        Interner {
            slots: vec![None; MIN_SLOTS],
            used: 0,
        }
    }
}

impl<'gc> Interner<'gc> {
    /// Returns the interned string with these bytes, creating it (and recording its bytes in the
    /// heap account) if needed.
    pub fn intern(&mut self, mc: &Mutation<'gc>, bytes: &[u8]) -> LuaString<'gc> {
        let hash = hash_bytes(bytes);
        let mask = self.slots.len() - 1;
        let mut i = mix(hash) as usize & mask;
        while let Some(s) = self.slots[i] {
            if s.hash == hash && *s.bytes == *bytes {
                return LuaString(s);
            }
            i = (i + 1) & mask;
        }
        crate::heap::allocated(mc, bytes.len());
        let s = Gc::new(
            mc,
            StringData {
                hash,
                bytes: bytes.into(),
            },
        );
        self.slots[i] = Some(s);
        self.used += 1;
        if self.used * 4 >= self.slots.len() * 3 {
            self.rehash_to(self.slots.len() * 2);
        }
        LuaString(s)
    }

    /// Forgets the strings the collector found dead; called when marking is complete, before the
    /// sweep frees them. Shrinks the table to fit the survivors.
    pub fn forget_dead(&mut self, fc: &Finalization<'gc>) {
        for slot in self.slots.iter_mut() {
            if slot.is_some_and(|s| Gc::is_dead(fc, s)) {
                *slot = None;
            }
        }
        self.rehash_to(MIN_SLOTS);
    }

    /// Rebuilds the table with at least `min_size` slots and at most half of them used.
    fn rehash_to(&mut self, min_size: usize) {
        let live: Vec<Gc<'gc, StringData>> = self.slots.iter().flatten().copied().collect();
        let mut size = min_size;
        while live.len() * 2 >= size {
            size *= 2;
        }
        self.slots = vec![None; size];
        self.used = live.len();
        let mask = size - 1;
        for s in live {
            let mut i = mix(s.hash) as usize & mask;
            while self.slots[i].is_some() {
                i = (i + 1) & mask;
            }
            self.slots[i] = Some(s);
        }
    }
}

/// Spreads Lua's weak hash over the bits the probe uses.
#[inline]
fn mix(h: u32) -> u32 {
    h.wrapping_mul(0x9E37_79B1).rotate_left(13)
}
