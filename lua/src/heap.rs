//! Byte accounting for memory that lives outside `Gc` headers: string bytes and table parts.
//!
//! gc-arena paces its collector by the number of `Gc` objects; Lua programs are judged by bytes
//! (`collectgarbage("count")`, and a loop of big strings must not outrun the collector). Every owner of
//! such memory records it here, and the same figure is turned into collector debt. The counter is per
//! OS thread: several `Lua` states on one thread report their sum.

use std::cell::Cell;

use gc_arena::Mutation;

thread_local! {
    static EXTERNAL_BYTES: Cell<isize> = const { Cell::new(0) };
}

/// Approximate bytes of one `Gc` allocation's header plus a small payload, used to turn byte counts
/// into the object counts the collector is paced by.
pub const BYTES_PER_OBJECT: f64 = 64.0;

/// Records `bytes` newly allocated and charges the collector for them (in object units).
#[inline]
pub fn allocated(mc: &Mutation<'_>, bytes: usize) {
    EXTERNAL_BYTES.with(|c| c.set(c.get() + bytes as isize));
    mc.metrics().adjust_debt(bytes as f64 / BYTES_PER_OBJECT);
}

/// Records `bytes` freed.
#[inline]
pub fn freed(bytes: usize) {
    EXTERNAL_BYTES.with(|c| c.set(c.get() - bytes as isize));
}

/// Bytes currently held outside `Gc` headers on this thread.
pub fn external_bytes() -> usize {
    EXTERNAL_BYTES.with(|c| c.get().max(0) as usize)
}

/// A size recorded in the account, given back when dropped. Owners keep one and [`HeapCharge::set`]
/// it when their buffers change size.
#[derive(Default)]
pub struct HeapCharge(usize);

impl HeapCharge {
    /// Changes the recorded size to `bytes`.
    #[inline]
    pub fn set(&mut self, mc: &Mutation<'_>, bytes: usize) {
        if bytes > self.0 {
            allocated(mc, bytes - self.0);
        } else {
            freed(self.0 - bytes);
        }
        self.0 = bytes;
    }
}

impl Drop for HeapCharge {
    fn drop(&mut self) {
        freed(self.0);
    }
}
