//! Set values with Redis 7.0's two encodings: `intset` — a sorted vector of integers, used while every
//! member is the canonical text of a 64-bit integer and there are at most `set-max-intset-entries` of
//! them — and `hashtable`. Key decisions: the intset is kept sorted, so iterating it is ascending
//! exactly like Redis's; a set never converts back from `hashtable` (as in Redis). A small `hashtable`
//! set (at most [`PACK_ENTRIES`] members of at most [`PACK_VALUE`] bytes) is stored packed — one byte
//! buffer of `varint(len) bytes` members in insertion order, searched linearly, like the listpack sets
//! of Redis 7.2 — and becomes a real insertion-indexed hash set (`IndexSet`) past those limits; it
//! still reports `hashtable`, since Redis 7.0 has no other name for it, and SSCAN walks both by position
//! so cursors behave the same. The hash set is indexable, so a random member, a random pop and an
//! `SSCAN` step cost O(1).

use super::{random_index, Bytes, Hasher};
use crate::resp::parser::parse_i64;
use crate::resp::reply::fmt_int;
use indexmap::IndexSet;

/// Most members a packed (small `hashtable`) set holds.
pub const PACK_ENTRIES: usize = 32;
/// Longest member a packed set holds.
pub const PACK_VALUE: usize = 64;

/// A set value. A new set starts as an empty intset (like Redis's `setTypeCreate` for an integer).
#[derive(Debug, Clone)]
pub enum Set {
    /// Distinct integers in ascending order (Redis `intset`).
    Ints(Vec<i64>),
    /// A few short byte-string members packed in one buffer (reported as `hashtable`).
    Pack(Pack),
    /// Byte-string members (Redis `hashtable`).
    Table(Box<IndexSet<Bytes, Hasher>>),
}

/// Members packed as `varint(len) bytes`, insertion order.
#[derive(Debug, Clone, Default)]
pub struct Pack {
    buf: Vec<u8>,
    len: u32,
}

impl Pack {
    /// The member starting at byte `pos`: its byte range.
    fn element(&self, pos: usize) -> std::ops::Range<usize> {
        let (mut n, mut shift, mut i) = (0usize, 0, pos);
        loop {
            let b = self.buf[i];
            i += 1;
            n |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        i..i + n
    }

    /// Every member with the byte range of its whole encoding.
    fn spans(&self) -> impl Iterator<Item = (std::ops::Range<usize>, &[u8])> + '_ {
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= self.buf.len() {
                return None;
            }
            let data = self.element(pos);
            let span = pos..data.end;
            pos = data.end;
            Some((span, &self.buf[data]))
        })
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.spans().map(|(_, m)| m)
    }

    fn find(&self, m: &[u8]) -> Option<std::ops::Range<usize>> {
        self.spans().find(|(_, e)| *e == m).map(|(span, _)| span)
    }

    /// Appends a member known to be absent (the buffer grows to the exact size).
    fn push(&mut self, m: &[u8]) {
        let mut n = m.len();
        self.buf.reserve_exact(m.len() + 2);
        while n >= 0x80 {
            self.buf.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        self.buf.push(n as u8);
        self.buf.extend_from_slice(m);
        self.len += 1;
    }

    fn remove_span(&mut self, span: std::ops::Range<usize>) {
        self.buf.drain(span);
        self.len -= 1;
    }
}

impl Default for Set {
    fn default() -> Self {
        Set::Ints(Vec::new())
    }
}

/// A member read from a set: an intset integer or the bytes of a hashtable member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    /// An integer (its text is the canonical decimal form).
    Int(i64),
    /// A byte string.
    Bytes(&'a [u8]),
}

/// An owned member, copied out of a set so the keyspace can be borrowed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem {
    /// An integer.
    Int(i64),
    /// A byte string.
    Bytes(Box<[u8]>),
}

impl Member<'_> {
    /// The integer this member stands for when it is the canonical text of one.
    pub fn as_int(self) -> Option<i64> {
        match self {
            Member::Int(i) => Some(i),
            Member::Bytes(b) => parse_i64(b),
        }
    }

    /// Calls `f` with the member's bytes (integers formatted in decimal on the stack).
    pub fn with_bytes<R>(self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Member::Int(i) => {
                let mut tmp = [0u8; 20];
                f(fmt_int(&mut tmp, i))
            }
            Member::Bytes(b) => f(b),
        }
    }

    /// An owned copy.
    pub fn to_elem(self) -> Elem {
        match self {
            Member::Int(i) => Elem::Int(i),
            Member::Bytes(b) => Elem::Bytes(b.into()),
        }
    }

    /// The member's bytes as a vector.
    pub fn to_vec(self) -> Vec<u8> {
        self.with_bytes(<[u8]>::to_vec)
    }
}

impl Elem {
    /// A borrowed view.
    pub fn as_member(&self) -> Member<'_> {
        match self {
            Elem::Int(i) => Member::Int(*i),
            Elem::Bytes(b) => Member::Bytes(b),
        }
    }
}

/// Iterator over a set's members: ascending for an intset, insertion order for a hashtable.
pub enum Iter<'a> {
    /// Over an intset.
    Ints(std::slice::Iter<'a, i64>),
    /// Over a packed set.
    Pack(Box<dyn Iterator<Item = &'a [u8]> + 'a>, usize),
    /// Over a hashtable.
    Table(indexmap::set::Iter<'a, Bytes>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = Member<'a>;

    fn next(&mut self) -> Option<Member<'a>> {
        match self {
            Iter::Ints(it) => it.next().map(|&i| Member::Int(i)),
            Iter::Pack(it, left) => {
                let m = it.next()?;
                *left -= 1;
                Some(Member::Bytes(m))
            }
            Iter::Table(it) => it.next().map(|b| Member::Bytes(b)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Ints(it) => it.size_hint(),
            Iter::Pack(_, left) => (*left, Some(*left)),
            Iter::Table(it) => it.size_hint(),
        }
    }
}

impl Set {
    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            Set::Ints(v) => v.len(),
            Set::Pack(p) => p.len as usize,
            Set::Table(t) => t.len(),
        }
    }

    /// True when the set has no member (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Ints(_) => "intset",
            Set::Pack(_) | Set::Table(_) => "hashtable",
        }
    }

    /// True when `m` is a member.
    pub fn contains(&self, m: &[u8]) -> bool {
        self.contains_member(Member::Bytes(m))
    }

    /// True when `m` is a member (either form).
    pub fn contains_member(&self, m: Member) -> bool {
        match self {
            Set::Ints(v) => m.as_int().is_some_and(|i| v.binary_search(&i).is_ok()),
            Set::Pack(p) => m.with_bytes(|b| p.find(b).is_some()),
            Set::Table(t) => m.with_bytes(|b| t.contains(b)),
        }
    }

    /// Adds `m`; true when it was not a member. Converts to `hashtable` when `m` is not an integer or
    /// the intset would exceed `max_ints` entries.
    pub fn insert(&mut self, m: &[u8], max_ints: usize) -> bool {
        self.add(Member::Bytes(m), max_ints)
    }

    /// Adds a member in either form; see [`Set::insert`].
    pub fn add(&mut self, m: Member, max_ints: usize) -> bool {
        match self {
            Set::Ints(v) => match m.as_int() {
                Some(i) => {
                    let Err(pos) = v.binary_search(&i) else {
                        return false;
                    };
                    v.insert(pos, i);
                    if v.len() > max_ints {
                        self.convert_to_table();
                    }
                    true
                }
                None => {
                    self.convert_from_ints(m.with_bytes(<[u8]>::len));
                    self.add(m, max_ints)
                }
            },
            Set::Pack(p) => {
                let fits = m.with_bytes(|b| {
                    (p.len as usize) < PACK_ENTRIES && b.len() <= PACK_VALUE && p.find(b).is_none()
                });
                if fits {
                    m.with_bytes(|b| p.push(b));
                    return true;
                }
                if self.contains_member(m) {
                    return false;
                }
                self.convert_to_table();
                self.add(m, max_ints)
            }
            Set::Table(t) => m.with_bytes(|b| !t.contains(b) && t.insert(Bytes::new(b))),
        }
    }

    /// Removes `m`; true when it was a member.
    pub fn remove(&mut self, m: &[u8]) -> bool {
        self.remove_member(Member::Bytes(m))
    }

    /// Removes a member in either form; true when it was a member.
    pub fn remove_member(&mut self, m: Member) -> bool {
        match self {
            Set::Ints(v) => match m.as_int().map(|i| v.binary_search(&i)) {
                Some(Ok(pos)) => {
                    v.remove(pos);
                    true
                }
                _ => false,
            },
            Set::Pack(p) => match m.with_bytes(|b| p.find(b)) {
                Some(span) => {
                    p.remove_span(span);
                    true
                }
                None => false,
            },
            Set::Table(t) => {
                let removed = m.with_bytes(|b| t.swap_remove(b));
                shrink(t);
                removed
            }
        }
    }

    /// The member at position `i` of the iteration order.
    pub fn get(&self, i: usize) -> Option<Member<'_>> {
        match self {
            Set::Ints(v) => v.get(i).map(|&n| Member::Int(n)),
            Set::Pack(p) => p.iter().nth(i).map(Member::Bytes),
            Set::Table(t) => t.get_index(i).map(|b| Member::Bytes(b)),
        }
    }

    /// A uniformly random member (`None` when empty).
    pub fn random(&self) -> Option<Member<'_>> {
        self.get(random_index(self.len()))
    }

    /// Removes and returns a uniformly random member (`None` when empty).
    pub fn pop_random(&mut self) -> Option<Elem> {
        if self.is_empty() {
            return None;
        }
        let i = random_index(self.len());
        match self {
            Set::Ints(v) => Some(Elem::Int(v.remove(i))),
            Set::Pack(p) => {
                let (span, m) = p.spans().nth(i)?;
                let m: Box<[u8]> = m.into();
                p.remove_span(span);
                Some(Elem::Bytes(m))
            }
            Set::Table(t) => {
                let b = t.swap_remove_index(i)?;
                shrink(t);
                Some(Elem::Bytes(b.as_slice().into()))
            }
        }
    }

    /// The members, ascending for an intset.
    pub fn iter(&self) -> Iter<'_> {
        match self {
            Set::Ints(v) => Iter::Ints(v.iter()),
            Set::Pack(p) => Iter::Pack(Box::new(p.iter()), p.len as usize),
            Set::Table(t) => Iter::Table(t.iter()),
        }
    }

    /// One `SSCAN` step: calls `f` for up to `count` members and returns the next cursor (0 when done).
    /// An intset is returned whole in one step, as Redis does. A hashtable is walked from the last
    /// position down (cursor `c` = "positions below `c` are left"): removals swap the last member into
    /// the hole, and the last members are the ones already visited, so a member present for the whole
    /// iteration is never skipped (it may be returned twice, as SCAN allows).
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(Member)) -> u64 {
        match self {
            Set::Ints(v) => {
                v.iter().for_each(|&i| f(Member::Int(i)));
                0
            }
            Set::Pack(p) => {
                let (bottom, top) = super::scan_window(cursor, count, p.len as usize);
                let members: Vec<&[u8]> = p.iter().skip(bottom).take(top - bottom).collect();
                members.into_iter().rev().for_each(|m| f(Member::Bytes(m)));
                bottom as u64
            }
            Set::Table(t) => {
                let (bottom, top) = super::scan_window(cursor, count, t.len());
                for i in (bottom..top).rev() {
                    if let Some(b) = t.get_index(i) {
                        f(Member::Bytes(b));
                    }
                }
                bottom as u64
            }
        }
    }

    /// Heap bytes held by the set, for `MEMORY USAGE`; a hashtable's members are sampled (up to
    /// `samples` of them) and the average extrapolated, as Redis does.
    pub fn heap_size(&self, samples: usize) -> usize {
        use super::heap_chunk;
        match self {
            Set::Ints(v) => heap_chunk(v.capacity() * 8),
            Set::Pack(p) => heap_chunk(p.buf.capacity()),
            Set::Table(t) => {
                let members =
                    super::sampled(t.len(), samples, t.iter(), |m| heap_chunk(m.heap_size()));
                let slot = std::mem::size_of::<Bytes>() + 17;
                heap_chunk(std::mem::size_of_val(&**t)) + members + t.capacity() * slot
            }
        }
    }

    /// Leaves the intset encoding before adding a non-integer member of `len` bytes: packed when the
    /// set stays small, else a hash set.
    fn convert_from_ints(&mut self, len: usize) {
        let Set::Ints(v) = self else {
            return;
        };
        if v.len() < PACK_ENTRIES && len <= PACK_VALUE {
            let mut p = Pack::default();
            for &i in v.iter() {
                let mut tmp = [0u8; 20];
                p.push(fmt_int(&mut tmp, i));
            }
            *self = Set::Pack(p);
        } else {
            self.convert_to_table();
        }
    }

    /// Switches an intset or a packed set to the hash set.
    fn convert_to_table(&mut self) {
        let mut t = IndexSet::with_capacity_and_hasher(self.len() + 1, Hasher::default());
        match self {
            Set::Ints(v) => {
                for &i in v.iter() {
                    let mut tmp = [0u8; 20];
                    t.insert(Bytes::new(fmt_int(&mut tmp, i)));
                }
            }
            Set::Pack(p) => p.iter().for_each(|m| {
                t.insert(Bytes::new(m));
            }),
            Set::Table(_) => return,
        }
        *self = Set::Table(Box::new(t));
    }
}

/// Gives memory back when a hashtable has shrunk to an eighth of its capacity (Redis resizes its dict
/// below 10% fill).
fn shrink(t: &mut IndexSet<Bytes, Hasher>) {
    if t.capacity() > 64 && t.len() * 8 < t.capacity() {
        t.shrink_to(t.len() * 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &Set) -> Vec<Vec<u8>> {
        s.iter().map(Member::to_vec).collect()
    }

    #[test]
    fn intset_stays_sorted_and_converts() {
        let mut s = Set::default();
        assert!(s.insert(b"3", 4));
        assert!(s.insert(b"-1", 4));
        assert!(!s.insert(b"3", 4));
        assert!(s.insert(b"2", 4));
        assert_eq!(members(&s), [b"-1".to_vec(), b"2".to_vec(), b"3".to_vec()]);
        assert_eq!(s.encoding(), "intset");
        assert!(s.contains(b"2") && !s.contains(b"02"));
        assert!(s.insert(b"02", 4));
        assert_eq!(s.encoding(), "hashtable");
        assert!(s.contains(b"2") && s.contains(b"02"));
        let mut t = Set::default();
        for i in 0..5 {
            t.insert(i.to_string().as_bytes(), 4);
        }
        assert_eq!(t.encoding(), "hashtable");
        assert_eq!(t.len(), 5);
    }

    #[test]
    fn remove_pop_and_scan() {
        let mut s = Set::default();
        for m in [b"a".as_slice(), b"b", b"c"] {
            s.insert(m, 512);
        }
        assert!(s.remove(b"b"));
        assert!(!s.remove(b"b"));
        let mut seen = Vec::new();
        let next = s.scan(0, 1, |m| seen.push(m.to_vec()));
        assert_eq!(next, 1);
        assert_eq!(s.scan(next, 1, |m| seen.push(m.to_vec())), 0);
        seen.sort();
        assert_eq!(seen, [b"a".to_vec(), b"c".to_vec()]);
        assert!(s.pop_random().is_some());
        assert!(s.pop_random().is_some());
        assert!(s.pop_random().is_none());
        assert!(s.is_empty());
    }

    #[test]
    fn scan_and_delete_sees_every_member() {
        let mut s = Set::default();
        for i in 0..1000 {
            s.insert(format!("m{i}").as_bytes(), 512);
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        loop {
            let mut batch = Vec::new();
            cursor = s.scan(cursor, 7, |m| batch.push(m.to_vec()));
            for m in batch {
                s.remove(&m);
                seen.insert(m);
            }
            if cursor == 0 {
                break;
            }
        }
        assert_eq!(seen.len(), 1000);
        assert!(s.is_empty());
    }
}
