//! [`Thin`]: an exact-size byte buffer — a `Box<[u8]>` — held as its pointer and a 32-bit length,
//! packed to 12 bytes with 4-byte alignment. Key decision: a fat `Box<[u8]>` fills all 16 bytes of
//! a `Set`, leaving no room for an inline form beside it; at 12 bytes aligned to 4 the buffer sits
//! after the inline intset's count byte (whose spare values then tell the variants apart), so a
//! `Set` keeps a 5-integer intset with no allocation and still holds a heap buffer in 16 bytes. The
//! only unsafe code is the conversion to and from the `Box<[u8]>` the buffer stands for.

use std::ptr::NonNull;

/// An owned `Box<[u8]>` of at most `u32::MAX` bytes, in 12 bytes.
#[repr(C, packed(4))]
pub struct Thin {
    ptr: NonNull<u8>,
    len: u32,
}

// SAFETY: a `Thin` owns its buffer exactly as the `Box<[u8]>` it was made from (no sharing).
unsafe impl Send for Thin {}
// SAFETY: as above; `&Thin` only reads the bytes.
unsafe impl Sync for Thin {}

impl Thin {
    /// Takes ownership of `b`. The caller keeps buffers below 4 GiB (small encodings only).
    pub fn new(b: Box<[u8]>) -> Thin {
        let len = u32::try_from(b.len()).expect("small encodings stay below 4 GiB");
        let ptr = NonNull::from(Box::leak(b)).cast::<u8>();
        Thin { ptr, len }
    }

    /// The bytes.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        let (ptr, len) = (self.ptr, self.len);
        // SAFETY: `ptr`/`len` come from a leaked `Box<[u8]>` this `Thin` owns (or are an empty
        // slice's dangling pointer), and the borrow of `self` keeps it alive and unchanged.
        unsafe { std::slice::from_raw_parts(ptr.as_ptr(), len as usize) }
    }

    /// Runs `f` on the buffer as a `Box<[u8]>` and keeps the result.
    #[inline]
    pub fn edit<R>(&mut self, f: impl FnOnce(&mut Box<[u8]>) -> R) -> R {
        let mut b = self.take();
        let r = f(&mut b);
        *self = Thin::new(b);
        r
    }

    /// Moves the buffer out, leaving an empty one (no allocation) behind.
    fn take(&mut self) -> Box<[u8]> {
        let (ptr, len) = (self.ptr, self.len);
        self.ptr = NonNull::dangling();
        self.len = 0;
        let raw = std::ptr::slice_from_raw_parts_mut(ptr.as_ptr(), len as usize);
        // SAFETY: `raw` is the slice leaked in `new` (or an empty slice at a dangling pointer, which
        // is a valid empty `Box<[u8]>`); `self` no longer refers to it, so it is reclaimed once.
        unsafe { Box::from_raw(raw) }
    }
}

impl Drop for Thin {
    fn drop(&mut self) {
        drop(self.take());
    }
}

impl Clone for Thin {
    fn clone(&self) -> Thin {
        Thin::new(self.as_slice().into())
    }
}

impl std::fmt::Debug for Thin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_edits_and_clones() {
        assert_eq!(std::mem::size_of::<Thin>(), 12);
        assert_eq!(std::mem::align_of::<Thin>(), 4);
        let mut t = Thin::new(Box::default());
        assert_eq!(t.as_slice(), b"");
        t.edit(|b| *b = b"abc".as_slice().into());
        let c = t.clone();
        t.edit(|b| super::super::pack::edit(b, |v| v.push(b'd')));
        assert_eq!(t.as_slice(), b"abcd");
        assert_eq!(c.as_slice(), b"abc");
    }
}
