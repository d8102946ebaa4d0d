//! [`Bytes`]: the compact byte string used for keys, string values and hashtable members. Key
//! decisions: up to [`INLINE`] bytes live inside the 24-byte value itself (no allocation — most keys
//! and short values), longer immutable strings are one exact-size allocation, and a string that is
//! modified in place (APPEND, SETRANGE, SETBIT...) becomes a growable vector so repeated appends stay
//! amortised O(1) (Redis's `raw` encoding). Everything is safe Rust: the enum is 24 bytes because the
//! inline form keeps its length in a byte of its own, and `Value` reuses the spare tag values of
//! `Bytes` for its other variants (checked by a test).

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Longest string stored inline.
pub const INLINE: usize = 22;

/// Flag in an inline string's length byte: a value Redis created as an `embstr` object without
/// trying the `int` encoding (INCRBYFLOAT's result), so `OBJECT ENCODING` says `embstr` even when it
/// reads as an integer.
const EMBSTR: u8 = 0x80;

/// A binary-safe byte string with small-string storage.
#[derive(Clone)]
pub enum Bytes {
    /// Up to [`INLINE`] bytes, no allocation.
    Inline {
        /// Bytes used in `data`, plus [`EMBSTR`] for a value that must not report `int`.
        len: u8,
        /// The bytes (the rest is zero).
        data: [u8; INLINE],
    },
    /// An immutable exact-size allocation (longer than [`INLINE`]).
    Boxed(Box<[u8]>),
    /// A string modified in place: spare capacity for appends.
    Growable(Box<Vec<u8>>),
}

impl Bytes {
    /// A copy of `s`: inline when it fits, else one exact-size allocation.
    pub fn new(s: &[u8]) -> Bytes {
        if s.len() <= INLINE {
            let mut data = [0u8; INLINE];
            data[..s.len()].copy_from_slice(s);
            Bytes::Inline {
                len: s.len() as u8,
                data,
            }
        } else {
            Bytes::Boxed(s.into())
        }
    }

    /// A copy of `s` that `OBJECT ENCODING` reports as `embstr` even when it reads as an integer, as
    /// Redis's values created without `tryObjectEncoding` (INCRBYFLOAT's result).
    pub fn embstr(s: &[u8]) -> Bytes {
        let mut b = Bytes::new(s);
        if let Bytes::Inline { len, .. } = &mut b {
            *len |= EMBSTR;
        }
        b
    }

    /// True for a string made by [`Bytes::embstr`].
    pub fn is_embstr(&self) -> bool {
        matches!(self, Bytes::Inline { len, .. } if len & EMBSTR != 0)
    }

    /// `v` as a growable (`raw`) string, for results Redis builds as raw objects whatever their
    /// length (BITOP's destination).
    pub fn growable(v: Vec<u8>) -> Bytes {
        Bytes::Growable(Box::new(v))
    }

    /// The bytes.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Inline { len, data } => &data[..(*len & !EMBSTR) as usize],
            Bytes::Boxed(b) => b,
            Bytes::Growable(v) => v,
        }
    }

    /// The string as a growable vector, converting it first (it then stays growable, like a Redis
    /// `raw` string after APPEND).
    pub fn make_mut(&mut self) -> &mut Vec<u8> {
        if !matches!(self, Bytes::Growable(_)) {
            *self = Bytes::Growable(Box::new(self.as_slice().to_vec()));
        }
        match self {
            Bytes::Growable(v) => v,
            _ => unreachable!("converted above"),
        }
    }

    /// True once the string was modified in place (see [`Bytes::make_mut`]).
    pub fn is_growable(&self) -> bool {
        matches!(self, Bytes::Growable(_))
    }

    /// Heap bytes owned beyond the 24 bytes of the value itself (allocator chunk overhead excluded).
    pub fn heap_size(&self) -> usize {
        match self {
            Bytes::Inline { .. } => 0,
            Bytes::Boxed(b) => b.len(),
            Bytes::Growable(v) => std::mem::size_of::<Vec<u8>>() + v.capacity(),
        }
    }
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::new(b"")
    }
}

impl Deref for Bytes {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Borrow<[u8]> for Bytes {
    #[inline]
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Hash for Bytes {
    /// Hashes like `[u8]`, so tables keyed by `Bytes` can be searched with a plain slice.
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl PartialEq for Bytes {
    #[inline]
    fn eq(&self, other: &Bytes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Bytes {}

impl PartialEq<[u8]> for Bytes {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_slice() == other
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_slice()))
    }
}

impl From<&[u8]> for Bytes {
    fn from(s: &[u8]) -> Bytes {
        Bytes::new(s)
    }
}

impl From<Vec<u8>> for Bytes {
    /// Short vectors are copied inline; longer ones keep their buffer (shrunk to fit).
    fn from(v: Vec<u8>) -> Bytes {
        if v.len() <= INLINE {
            Bytes::new(&v)
        } else {
            Bytes::Boxed(v.into_boxed_slice())
        }
    }
}

impl From<Box<[u8]>> for Bytes {
    fn from(b: Box<[u8]>) -> Bytes {
        if b.len() <= INLINE {
            Bytes::new(&b)
        } else {
            Bytes::Boxed(b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_24_bytes_and_value_too() {
        assert_eq!(std::mem::size_of::<Bytes>(), 24);
        assert_eq!(std::mem::size_of::<crate::db::Value>(), 24);
    }

    #[test]
    fn inline_heap_boundary() {
        for n in [0, 1, INLINE - 1, INLINE, INLINE + 1, 100] {
            let s: Vec<u8> = (0..n).map(|i| (i * 37 % 256) as u8).collect();
            let b = Bytes::new(&s);
            assert_eq!(b.as_slice(), &s[..]);
            assert_eq!(matches!(b, Bytes::Inline { .. }), n <= INLINE);
            assert_eq!(Bytes::from(s.clone()).as_slice(), &s[..]);
            assert_eq!(b.heap_size(), if n <= INLINE { 0 } else { n });
        }
    }

    #[test]
    fn binary_bytes_and_equality_across_forms() {
        let s = [0u8, 255, 0, 13, 10];
        let mut a = Bytes::new(&s);
        let b = Bytes::new(&s);
        a.make_mut();
        assert!(a.is_growable());
        assert_eq!(a, b);
        let hash = |x: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            x(&mut h);
            h.finish()
        };
        assert_eq!(hash(&|h| a.hash(h)), hash(&|h| s[..].hash(h)));
    }

    #[test]
    fn make_mut_appends_across_the_boundary() {
        let mut b = Bytes::new(b"");
        for i in 0..30 {
            b.make_mut().push(b'x');
            assert_eq!(b.len(), i + 1);
        }
        assert!(b.is_growable());
        assert!(b.heap_size() >= 30);
    }
}
