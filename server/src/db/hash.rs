//! Hash values in Redis's two encodings. Key decisions: a small hash is a *listpack* — one packed byte
//! buffer of `len field len value` entries in insertion order, searched linearly — exactly the
//! layout whose iteration order Redis exposes through HGETALL/HKEYS/HVALS/HSCAN, so those replies
//! match byte for byte. Past `hash-max-listpack-entries` fields, or when a field or value is longer
//! than `hash-max-listpack-value`, it becomes a *hashtable* (an `IndexMap`, whose dense index gives
//! O(1) random sampling for HRANDFIELD and a simple position cursor for HSCAN). Like Redis, a hash
//! never converts back. Memory: `Hash` is 16 bytes and sits in the `Value` itself; the listpack is one
//! exact-size `Box<[u8]>` (like Redis's listpack realloc), so a small hash costs ONE allocation; the
//! hashtable is boxed and holds [`Bytes`] (short fields and values inline).

use super::{pack, Bytes, Hasher};
use indexmap::IndexMap;

/// The encoding thresholds (`hash-max-listpack-entries`, `hash-max-listpack-value`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most fields a listpack may hold.
    pub entries: usize,
    /// Longest field or value a listpack may hold.
    pub value: usize,
}

/// A hash value.
#[derive(Debug, Clone)]
pub enum Hash {
    /// Compact encoding: packed entries in insertion order.
    Listpack(Listpack),
    /// Large encoding: field → value.
    Table(Box<IndexMap<Bytes, Bytes, Hasher>>),
}

impl Default for Hash {
    fn default() -> Self {
        Hash::Listpack(Listpack::default())
    }
}

impl Hash {
    /// Number of fields.
    pub fn len(&self) -> usize {
        match self {
            Hash::Listpack(l) => l.len(),
            Hash::Table(t) => t.len(),
        }
    }

    /// True when the hash has no field (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        match self {
            Hash::Listpack(l) => l.buf.is_empty(),
            Hash::Table(t) => t.is_empty(),
        }
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        match self {
            Hash::Listpack(_) => "listpack",
            Hash::Table(_) => "hashtable",
        }
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match self {
            Hash::Listpack(l) => l.find(field).map(|e| &l.buf[e.value.clone()]),
            Hash::Table(t) => t.get(field).map(|v| &**v),
        }
    }

    /// True when `field` exists.
    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Switches to the hashtable encoding when any of `lens` (lengths of fields/values about to be
    /// written) exceeds the listpack value limit — Redis's `hashTypeTryConversion`.
    pub fn prepare_for(&mut self, lens: impl IntoIterator<Item = usize>, limits: Limits) {
        if matches!(self, Hash::Listpack(_)) && lens.into_iter().any(|n| n > limits.value) {
            self.convert();
        }
    }

    /// Sets `field` to `value`; returns true when the field is new. Converts to a hashtable when the
    /// pair is too long for a listpack or the listpack grows past its entry limit.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: Limits) -> bool {
        self.prepare_for([field.len(), value.len()], limits);
        match self {
            Hash::Listpack(l) => {
                let new = l.set(field, value);
                if l.len() > limits.entries {
                    self.convert();
                }
                new
            }
            Hash::Table(t) => t.insert(Bytes::new(field), Bytes::new(value)).is_none(),
        }
    }

    /// Removes `field`; returns true when it existed.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self {
            Hash::Listpack(l) => l.remove(field),
            Hash::Table(t) => t.swap_remove(field).is_some(),
        }
    }

    /// Heap bytes held by the hash, for `MEMORY USAGE`; a hashtable's fields are sampled (up to
    /// `samples` of them) and the average extrapolated, as Redis does.
    pub fn heap_size(&self, samples: usize) -> usize {
        use super::heap_chunk;
        match self {
            Hash::Listpack(l) => heap_chunk(l.buf.len()),
            Hash::Table(t) => {
                let items = super::sampled(t.len(), samples, t.iter(), |(k, v)| {
                    heap_chunk(k.heap_size()) + heap_chunk(v.heap_size())
                });
                let slot = 2 * std::mem::size_of::<Bytes>() + 17;
                heap_chunk(std::mem::size_of_val(&**t)) + items + t.capacity() * slot
            }
        }
    }

    /// Every field/value pair, in the encoding's order (insertion order for a listpack).
    pub fn iter(&self) -> Box<dyn Iterator<Item = (&[u8], &[u8])> + '_> {
        match self {
            Hash::Listpack(l) => Box::new(l.iter()),
            Hash::Table(t) => Box::new(t.iter().map(|(k, v)| (&**k, &**v))),
        }
    }

    /// The pair at position `i` of the iteration order (O(1) for a hashtable).
    pub fn nth(&self, i: usize) -> Option<(&[u8], &[u8])> {
        match self {
            Hash::Listpack(l) => l.iter().nth(i),
            Hash::Table(t) => t.get_index(i).map(|(k, v)| (&**k, &**v)),
        }
    }

    /// One `HSCAN` step over up to `count` pairs; returns the next cursor (0 when done). A listpack is
    /// visited whole in one call, as Redis does; a hashtable top-down like [`crate::db::Db::scan`], so a
    /// field present for the whole iteration is never skipped when others are deleted.
    pub fn scan<'a>(
        &'a self,
        cursor: u64,
        count: usize,
        mut f: impl FnMut(&'a [u8], &'a [u8]),
    ) -> u64 {
        match self {
            Hash::Listpack(l) => {
                l.iter().for_each(|(k, v)| f(k, v));
                0
            }
            Hash::Table(t) => {
                let (bottom, top) = super::scan_window(cursor, count, t.len());
                for i in (bottom..top).rev() {
                    if let Some((k, v)) = t.get_index(i) {
                        f(k, v);
                    }
                }
                bottom as u64
            }
        }
    }

    fn convert(&mut self) {
        if let Hash::Listpack(l) = self {
            let mut t = IndexMap::with_capacity_and_hasher(l.len(), Hasher::default());
            for (k, v) in l.iter() {
                t.insert(Bytes::new(k), Bytes::new(v));
            }
            *self = Hash::Table(Box::new(t));
        }
    }
}

/// The compact encoding: entries packed as `varint(len) field varint(len) value`, insertion order,
/// in one exact-size buffer (the field count is found by walking it, at most a listpack's worth).
#[derive(Debug, Clone, Default)]
pub struct Listpack {
    buf: Box<[u8]>,
}

/// Where one entry lives in a listpack buffer.
struct Slot {
    start: usize,
    field: std::ops::Range<usize>,
    value: std::ops::Range<usize>,
}

impl Listpack {
    fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= self.buf.len() {
                return None;
            }
            let field = pack::element(&self.buf, pos);
            let value = pack::element(&self.buf, field.end);
            let start = pos;
            pos = value.end;
            Some(Slot {
                start,
                field,
                value,
            })
        })
    }

    fn len(&self) -> usize {
        self.slots().count()
    }

    fn find(&self, field: &[u8]) -> Option<Slot> {
        self.slots().find(|s| self.buf[s.field.clone()] == *field)
    }

    fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        self.slots()
            .map(|s| (&self.buf[s.field], &self.buf[s.value]))
    }

    fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
        match self.find(field) {
            Some(slot) => {
                let start = slot.value.start - pack::varint_len(slot.value.len());
                let (old, new) = (slot.value.end - start, pack::element_len(value));
                if old == new {
                    self.buf[slot.value.end - value.len()..slot.value.end].copy_from_slice(value);
                    return false;
                }
                pack::edit(&mut self.buf, |v| {
                    if new > old {
                        v.reserve_exact(new - old);
                    }
                    let mut enc = Vec::with_capacity(new);
                    pack::push_element(&mut enc, value);
                    v.splice(start..slot.value.end, enc);
                });
                false
            }
            None => {
                pack::edit(&mut self.buf, |v| {
                    v.reserve_exact(pack::element_len(field) + pack::element_len(value));
                    pack::push_element(v, field);
                    pack::push_element(v, value);
                });
                true
            }
        }
    }

    fn remove(&mut self, field: &[u8]) -> bool {
        match self.find(field) {
            Some(slot) => {
                pack::edit(&mut self.buf, |v| {
                    v.drain(slot.start..slot.value.end).count()
                });
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        entries: 4,
        value: 200,
    };

    #[test]
    fn listpack_keeps_insertion_order_and_updates_in_place() {
        let mut h = Hash::default();
        assert!(h.set(b"a", b"1", LIMITS));
        assert!(h.set(b"b", &[b'x'; 150], LIMITS));
        assert!(h.set(b"c", b"3", LIMITS));
        assert!(!h.set(b"b", b"2", LIMITS));
        let pairs: Vec<_> = h.iter().collect();
        assert_eq!(
            pairs,
            vec![(&b"a"[..], &b"1"[..]), (b"b", b"2"), (b"c", b"3")]
        );
        assert!(h.remove(b"a"));
        assert!(!h.remove(b"a"));
        assert_eq!(h.get(b"c"), Some(&b"3"[..]));
        assert_eq!(h.len(), 2);
        assert_eq!(h.encoding(), "listpack");
    }

    #[test]
    fn listpack_edges_empty_binary_and_varint_sizes() {
        let mut h = Hash::default();
        assert!(h.is_empty() && h.heap_size(5) == 0);
        assert!(h.set(b"", b"", LIMITS));
        assert!(h.set(&[0, 255, 13, 10], &[7; 127], LIMITS));
        assert!(!h.set(&[0, 255, 13, 10], &[8; 127], LIMITS));
        assert_eq!(h.get(&[0, 255, 13, 10]), Some(&[8u8; 127][..]));
        assert!(!h.set(&[0, 255, 13, 10], &[9; 128], LIMITS));
        assert!(!h.set(b"", b"now", LIMITS));
        assert_eq!(h.get(b""), Some(&b"now"[..]));
        assert!(!h.set(&[0, 255, 13, 10], b"", LIMITS));
        let pairs: Vec<_> = h.iter().collect();
        assert_eq!(
            pairs,
            vec![(&b""[..], &b"now"[..]), (&[0, 255, 13, 10][..], &b""[..])]
        );
        let Hash::Listpack(l) = &h else {
            panic!("still a listpack")
        };
        assert_eq!(l.buf.len(), 1 + (1 + 3) + (1 + 4) + 1, "exact size");
        assert_eq!(std::mem::size_of::<Hash>(), 16);
        assert!(h.remove(b"") && h.remove(&[0, 255, 13, 10]) && h.is_empty());
    }

    #[test]
    fn converts_on_entries_and_value_length() {
        let mut h = Hash::default();
        for i in 0..5u8 {
            h.set(&[i], b"v", LIMITS);
        }
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), 5);
        let mut h = Hash::default();
        h.set(b"f", &[0; 201], LIMITS);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"f").map(|v| v.len()), Some(201));
    }
}
