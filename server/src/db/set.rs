//! Set values with Redis 7.0's two encodings: `intset` — sorted integers, used while every member is
//! the canonical text of a 64-bit integer and there are at most `set-max-intset-entries` of them — and
//! `hashtable`. Key decisions: the intset is kept sorted, so iterating it is ascending exactly like
//! Redis's; a set never converts back from `hashtable` (as in Redis). A small `hashtable` set (at most
//! [`PACK_ENTRIES`] members of at most [`PACK_VALUE`] bytes) is stored packed — members as
//! `varint(len) bytes` in insertion order, searched linearly, like the listpack sets of Redis 7.2 — and
//! becomes a real insertion-indexed hash set (`IndexSet`) past those limits; it still reports
//! `hashtable`, since Redis 7.0 has no other name for it, and SSCAN walks both by position so cursors
//! behave the same. The hash set is indexable, so a random member, a random pop and an `SSCAN` step
//! cost O(1). Memory: `Set` is 16 bytes and sits in the `Value`. An intset of up to [`INLINE_INTS`]
//! 16-bit integers lives in those 16 bytes (no allocation: a count byte, whose spare values tag the
//! other forms, then the intset bytes); a bigger or wider intset and the packed set share one
//! exact-size heap buffer ([`Thin`]) whose first byte says which it is — an integer width (2, 4 or 8
//! bytes, upgraded when a wider integer arrives, as Redis's intset) or [`PACKED`] — so a small set is
//! at most ONE allocation. An intset that moved to the heap stays there (Redis never narrows either).

use super::thin::Thin;
use super::{pack, random_index, Bytes, Hasher};
use crate::resp::parser::parse_i64;
use crate::resp::reply::fmt_int;
use indexmap::IndexSet;

/// Most members a packed (small `hashtable`) set holds.
pub const PACK_ENTRIES: usize = 32;
/// Longest member a packed set holds.
pub const PACK_VALUE: usize = 64;

/// Most integers (16-bit ones) an intset holds inline, without an allocation.
pub const INLINE_INTS: usize = 7;

/// Most integers an intset holds whatever `set-max-intset-entries` says (its buffer stays below 4 GiB).
const MAX_INTSET: usize = (u32::MAX as usize - 1) / 8;

/// First byte of a packed (small `hashtable`) set; an intset's first byte is its integer width.
const PACKED: u8 = 0;

/// A set value. A new set starts as an empty intset (like Redis's `setTypeCreate` for an integer).
#[derive(Debug, Clone, Default)]
pub struct Set {
    repr: Repr,
}

#[derive(Debug, Clone)]
enum Repr {
    /// An intset of at most [`INLINE_INTS`] 16-bit integers, in the value itself.
    Inline(Tiny),
    /// An intset (`width ints...`, little-endian, ascending) or a packed set (`PACKED members...`).
    Small(Thin),
    /// Byte-string members (Redis `hashtable`).
    Table(Box<IndexSet<Bytes, Hasher>>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Inline(Tiny::default())
    }
}

/// Number of integers in an inline intset: an enum, so the byte's other values tag the heap forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Count {
    N0,
    N1,
    N2,
    N3,
    N4,
    N5,
    N6,
    N7,
}

/// The [`Count`] for each number of integers.
const COUNTS: [Count; INLINE_INTS + 1] = [
    Count::N0,
    Count::N1,
    Count::N2,
    Count::N3,
    Count::N4,
    Count::N5,
    Count::N6,
    Count::N7,
];

/// An inline intset: the same bytes as a heap intset of width 2 (`2 ints...`), `n` integers used.
#[derive(Debug, Clone, Copy)]
struct Tiny {
    n: Count,
    buf: [u8; 1 + 2 * INLINE_INTS],
}

impl Default for Tiny {
    fn default() -> Self {
        let mut buf = [0; 1 + 2 * INLINE_INTS];
        buf[0] = 2;
        Tiny { n: Count::N0, buf }
    }
}

impl Tiny {
    /// The intset bytes (`2 ints...`), readable by the `ints` functions.
    #[inline]
    fn bytes(&self) -> &[u8] {
        &self.buf[..1 + 2 * self.n as usize]
    }

    /// Inserts `v` at index `pos`; false (nothing changed) when it is not 16-bit or there is no room.
    fn insert(&mut self, pos: usize, v: i64) -> bool {
        let n = self.n as usize;
        let Ok(v) = i16::try_from(v) else {
            return false;
        };
        if n == INLINE_INTS {
            return false;
        }
        let at = 1 + 2 * pos;
        self.buf.copy_within(at..1 + 2 * n, at + 2);
        self.buf[at..at + 2].copy_from_slice(&v.to_le_bytes());
        self.n = COUNTS[n + 1];
        true
    }

    /// Removes the integer at index `i` (must be below the count).
    fn remove(&mut self, i: usize) {
        let n = self.n as usize;
        self.buf.copy_within(1 + 2 * (i + 1)..1 + 2 * n, 1 + 2 * i);
        self.n = COUNTS[n - 1];
    }
}

/// The intset encoding over a small buffer (`width ints...`).
mod ints {
    /// The smallest width (2, 4 or 8 bytes) that holds `i`.
    pub fn width_of(i: i64) -> u8 {
        if i16::try_from(i).is_ok() {
            2
        } else if i32::try_from(i).is_ok() {
            4
        } else {
            8
        }
    }

    /// Integer width of the buffer (2 for an empty one).
    pub fn width(b: &[u8]) -> usize {
        b.first().map_or(2, |&w| w as usize)
    }

    /// Number of integers.
    pub fn len(b: &[u8]) -> usize {
        b.len().saturating_sub(1) / width(b)
    }

    /// The integer at index `i` (must be below [`len`]).
    #[inline]
    pub fn get(b: &[u8], i: usize) -> i64 {
        let w = width(b);
        let at = 1 + i * w;
        let mut x = [0u8; 8];
        x[..w].copy_from_slice(&b[at..at + w]);
        let shift = 64 - 8 * w as u32;
        (i64::from_le_bytes(x) << shift) >> shift
    }

    /// `Ok(index)` of `v`, or `Err(index)` where it would go.
    pub fn search(b: &[u8], v: i64) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, len(b));
        while lo < hi {
            let mid = (lo + hi) / 2;
            match get(b, mid).cmp(&v) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// Inserts `v` at index `pos` (from [`search`]), widening every integer first when `v` needs it.
    pub fn insert(b: &mut Box<[u8]>, pos: usize, v: i64) {
        let w = (width_of(v) as usize).max(width(b));
        if b.is_empty() || w > width(b) {
            let mut wide = Vec::with_capacity(1 + (len(b) + 1) * w);
            wide.push(w as u8);
            (0..len(b)).for_each(|i| wide.extend_from_slice(&get(b, i).to_le_bytes()[..w]));
            *b = wide.into_boxed_slice();
        }
        super::pack::edit(b, |buf| {
            buf.reserve_exact(w);
            let at = 1 + pos * w;
            buf.splice(at..at, v.to_le_bytes()[..w].iter().copied());
        });
    }

    /// Removes the integer at index `i`.
    pub fn remove(b: &mut Box<[u8]>, i: usize) {
        let w = width(b);
        super::pack::edit(b, |buf| buf.drain(1 + i * w..1 + (i + 1) * w).count());
    }
}

/// The packed encoding over a small buffer (`PACKED members...`).
mod packed {
    use super::super::pack;
    use std::ops::Range;

    /// Every member with the byte range of its whole encoding.
    pub fn spans(b: &[u8]) -> impl Iterator<Item = (Range<usize>, &[u8])> + '_ {
        let mut pos = 1;
        std::iter::from_fn(move || {
            if pos >= b.len() {
                return None;
            }
            let data = pack::element(b, pos);
            let span = pos..data.end;
            pos = data.end;
            Some((span, &b[data]))
        })
    }

    /// The members in insertion order.
    pub fn iter(b: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
        spans(b).map(|(_, m)| m)
    }

    /// The byte span of member `m`.
    pub fn find(b: &[u8], m: &[u8]) -> Option<Range<usize>> {
        spans(b).find(|(_, e)| *e == m).map(|(span, _)| span)
    }

    /// Appends a member known to be absent (the buffer grows to the exact size).
    pub fn push(b: &mut Box<[u8]>, m: &[u8]) {
        pack::edit(b, |v| {
            v.reserve_exact(pack::element_len(m));
            pack::push_element(v, m);
        });
    }

    /// Removes the bytes `span`.
    pub fn cut(b: &mut Box<[u8]>, span: Range<usize>) {
        pack::edit(b, |v| v.drain(span).count());
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
    /// Over an intset: the buffer and the next index.
    Ints(&'a [u8], usize),
    /// Over a packed set.
    Pack(Box<dyn Iterator<Item = &'a [u8]> + 'a>, usize),
    /// Over a hashtable.
    Table(indexmap::set::Iter<'a, Bytes>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = Member<'a>;

    fn next(&mut self) -> Option<Member<'a>> {
        match self {
            Iter::Ints(b, i) => {
                if *i >= ints::len(b) {
                    return None;
                }
                *i += 1;
                Some(Member::Int(ints::get(b, *i - 1)))
            }
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
            Iter::Ints(b, i) => {
                let left = ints::len(b) - *i;
                (left, Some(left))
            }
            Iter::Pack(_, left) => (*left, Some(*left)),
            Iter::Table(it) => it.size_hint(),
        }
    }
}

/// A borrowed view of a set's encoding.
enum View<'a> {
    Ints(&'a [u8]),
    Pack(&'a [u8]),
    Table(&'a IndexSet<Bytes, Hasher>),
}

impl Set {
    fn view(&self) -> View<'_> {
        match &self.repr {
            Repr::Inline(t) => View::Ints(t.bytes()),
            Repr::Small(b) => match b.as_slice() {
                b @ [PACKED, ..] => View::Pack(b),
                b => View::Ints(b),
            },
            Repr::Table(t) => View::Table(t),
        }
    }

    /// Inserts `v` at index `pos` of the intset (from `ints::search`), moving an inline intset to the
    /// heap when `v` is wider than 16 bits or the inline room is full.
    fn insert_int(&mut self, pos: usize, v: i64) {
        match &mut self.repr {
            Repr::Inline(t) => {
                if !t.insert(pos, v) {
                    let mut b: Box<[u8]> = t.bytes().into();
                    ints::insert(&mut b, pos, v);
                    self.repr = Repr::Small(Thin::new(b));
                }
            }
            Repr::Small(b) => b.edit(|b| ints::insert(b, pos, v)),
            Repr::Table(_) => {}
        }
    }

    /// Removes the integer at index `i` of the intset.
    fn remove_int(&mut self, i: usize) {
        match &mut self.repr {
            Repr::Inline(t) => t.remove(i),
            Repr::Small(b) => b.edit(|b| ints::remove(b, i)),
            Repr::Table(_) => {}
        }
    }

    /// Runs `f` on the packed set's buffer.
    fn edit_packed(&mut self, f: impl FnOnce(&mut Box<[u8]>)) {
        if let Repr::Small(b) = &mut self.repr {
            b.edit(f);
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match self.view() {
            View::Ints(b) => ints::len(b),
            View::Pack(b) => packed::spans(b).count(),
            View::Table(t) => t.len(),
        }
    }

    /// True when the set has no member (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        match &self.repr {
            Repr::Inline(t) => t.n == Count::N0,
            Repr::Small(b) => b.as_slice().len() <= 1,
            Repr::Table(t) => t.is_empty(),
        }
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        match self.view() {
            View::Ints(_) => "intset",
            View::Pack(_) | View::Table(_) => "hashtable",
        }
    }

    /// True when `m` is a member.
    pub fn contains(&self, m: &[u8]) -> bool {
        self.contains_member(Member::Bytes(m))
    }

    /// True when `m` is a member (either form).
    pub fn contains_member(&self, m: Member) -> bool {
        match self.view() {
            View::Ints(b) => m.as_int().is_some_and(|i| ints::search(b, i).is_ok()),
            View::Pack(b) => m.with_bytes(|m| packed::find(b, m).is_some()),
            View::Table(t) => m.with_bytes(|b| t.contains(b)),
        }
    }

    /// Adds `m`; true when it was not a member. Converts to `hashtable` when `m` is not an integer or
    /// the intset would exceed `max_ints` entries.
    pub fn insert(&mut self, m: &[u8], max_ints: usize) -> bool {
        self.add(Member::Bytes(m), max_ints)
    }

    /// Adds a member in either form; see [`Set::insert`].
    pub fn add(&mut self, m: Member, max_ints: usize) -> bool {
        match self.view() {
            View::Ints(b) => match m.as_int() {
                Some(i) => {
                    let Err(pos) = ints::search(b, i) else {
                        return false;
                    };
                    let len = ints::len(b) + 1;
                    self.insert_int(pos, i);
                    if len > max_ints.min(MAX_INTSET) {
                        self.convert_to_table();
                    }
                    true
                }
                None => {
                    self.convert_from_ints(m.with_bytes(<[u8]>::len));
                    self.add(m, max_ints)
                }
            },
            View::Pack(b) => {
                let (fits, absent) = m.with_bytes(|m| {
                    let fits = m.len() <= PACK_VALUE && packed::spans(b).count() < PACK_ENTRIES;
                    (fits, packed::find(b, m).is_none())
                });
                if !absent {
                    return false;
                }
                if fits {
                    m.with_bytes(|m| self.edit_packed(|b| packed::push(b, m)));
                    return true;
                }
                self.convert_to_table();
                self.add(m, max_ints)
            }
            View::Table(_) => {
                let Repr::Table(t) = &mut self.repr else {
                    return false;
                };
                m.with_bytes(|b| !t.contains(b) && t.insert(Bytes::new(b)))
            }
        }
    }

    /// Removes `m`; true when it was a member.
    pub fn remove(&mut self, m: &[u8]) -> bool {
        self.remove_member(Member::Bytes(m))
    }

    /// Removes a member in either form; true when it was a member.
    pub fn remove_member(&mut self, m: Member) -> bool {
        match self.view() {
            View::Ints(b) => match m.as_int().map(|i| ints::search(b, i)) {
                Some(Ok(pos)) => {
                    self.remove_int(pos);
                    true
                }
                _ => false,
            },
            View::Pack(b) => match m.with_bytes(|m| packed::find(b, m)) {
                Some(span) => {
                    self.edit_packed(|b| packed::cut(b, span));
                    true
                }
                None => false,
            },
            View::Table(_) => {
                let Repr::Table(t) = &mut self.repr else {
                    return false;
                };
                let removed = m.with_bytes(|b| t.swap_remove(b));
                shrink(t);
                removed
            }
        }
    }

    /// The member at position `i` of the iteration order.
    pub fn get(&self, i: usize) -> Option<Member<'_>> {
        match self.view() {
            View::Ints(b) => (i < ints::len(b)).then(|| Member::Int(ints::get(b, i))),
            View::Pack(b) => packed::iter(b).nth(i).map(Member::Bytes),
            View::Table(t) => t.get_index(i).map(|b| Member::Bytes(b)),
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
        match self.view() {
            View::Ints(b) => {
                let v = ints::get(b, i);
                self.remove_int(i);
                Some(Elem::Int(v))
            }
            View::Pack(b) => {
                let (span, m) = packed::spans(b).nth(i)?;
                let m: Box<[u8]> = m.into();
                self.edit_packed(|b| packed::cut(b, span));
                Some(Elem::Bytes(m))
            }
            View::Table(_) => {
                let Repr::Table(t) = &mut self.repr else {
                    return None;
                };
                let b = t.swap_remove_index(i)?;
                shrink(t);
                Some(Elem::Bytes(b.as_slice().into()))
            }
        }
    }

    /// The members, ascending for an intset.
    pub fn iter(&self) -> Iter<'_> {
        match self.view() {
            View::Ints(b) => Iter::Ints(b, 0),
            View::Pack(b) => Iter::Pack(Box::new(packed::iter(b)), self.len()),
            View::Table(t) => Iter::Table(t.iter()),
        }
    }

    /// One `SSCAN` step: calls `f` for up to `count` members and returns the next cursor (0 when done).
    /// An intset is returned whole in one step, as Redis does. A hashtable is walked from the last
    /// position down (cursor `c` = "positions below `c` are left"): removals swap the last member into
    /// the hole, and the last members are the ones already visited, so a member present for the whole
    /// iteration is never skipped (it may be returned twice, as SCAN allows).
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(Member)) -> u64 {
        match self.view() {
            View::Ints(_) => {
                self.iter().for_each(f);
                0
            }
            View::Pack(b) => {
                let (bottom, top) = super::scan_window(cursor, count, self.len());
                let members: Vec<&[u8]> = packed::iter(b).skip(bottom).take(top - bottom).collect();
                members.into_iter().rev().for_each(|m| f(Member::Bytes(m)));
                bottom as u64
            }
            View::Table(t) => {
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
        match &self.repr {
            Repr::Inline(_) => 0,
            Repr::Small(b) => heap_chunk(b.as_slice().len()),
            Repr::Table(t) => {
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
        let View::Ints(b) = self.view() else {
            return;
        };
        if ints::len(b) < PACK_ENTRIES && len <= PACK_VALUE {
            let mut v = vec![PACKED];
            for i in 0..ints::len(b) {
                let mut tmp = [0u8; 20];
                pack::push_element(&mut v, fmt_int(&mut tmp, ints::get(b, i)));
            }
            self.repr = Repr::Small(Thin::new(v.into_boxed_slice()));
        } else {
            self.convert_to_table();
        }
    }

    /// Switches an intset or a packed set to the hash set.
    fn convert_to_table(&mut self) {
        if matches!(self.repr, Repr::Table(_)) {
            return;
        }
        let mut t = IndexSet::with_capacity_and_hasher(self.len() + 1, Hasher::default());
        for m in self.iter() {
            m.with_bytes(|b| t.insert(Bytes::new(b)));
        }
        self.repr = Repr::Table(Box::new(t));
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
    fn intset_widens_and_keeps_edge_values() {
        let mut s = Set::default();
        let values = [
            5,
            -3,
            i16::MAX as i64,
            i16::MIN as i64,
            i16::MAX as i64 + 1,
            i32::MIN as i64,
            i32::MAX as i64 + 1,
            i64::MAX,
            i64::MIN,
            0,
        ];
        let mut widths = Vec::new();
        for v in values {
            assert!(s.insert(v.to_string().as_bytes(), 512));
            let View::Ints(b) = s.view() else {
                panic!("still an intset")
            };
            widths.push((b[0], matches!(s.repr, Repr::Inline(_))));
            assert_eq!(b.len(), 1 + s.len() * b[0] as usize, "exact size");
        }
        let w = |w, inline| (w, inline);
        assert_eq!(
            widths,
            [
                w(2, true),
                w(2, true),
                w(2, true),
                w(2, true),
                w(4, false),
                w(4, false),
                w(8, false),
                w(8, false),
                w(8, false),
                w(8, false)
            ]
        );
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let got: Vec<i64> = s.iter().map(|m| m.as_int().unwrap()).collect();
        assert_eq!(got, sorted);
        assert_eq!(s.encoding(), "intset");
        assert!(s.contains(b"-9223372036854775808") && s.contains(b"9223372036854775807"));
        assert!(!s.contains(b"9223372036854775808") && !s.contains(b"1"));
        assert!(s.remove(b"9223372036854775807"));
        assert!(!s.remove(b"9223372036854775807"));
        assert_eq!(s.get(0), Some(Member::Int(i64::MIN)));
        assert_eq!(s.len(), values.len() - 1);
    }

    #[test]
    fn small_sets_are_one_exact_allocation() {
        let mut s = Set::default();
        for i in 0..5 {
            s.insert((i * 1000).to_string().as_bytes(), 512);
        }
        assert_eq!(s.heap_size(5), 0, "inline");
        assert!(s.insert(b"", 512));
        assert!(s.insert(&[0, 255, 13, 10], 512));
        assert_eq!(s.encoding(), "hashtable");
        assert!(matches!(s.repr, Repr::Small(_)));
        assert!(s.contains(b"") && s.contains(b"4000") && s.contains(&[0, 255, 13, 10]));
        assert_eq!(s.len(), 7);
        assert_eq!(std::mem::size_of::<Set>(), 16);
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

    fn ints_of(s: &Set) -> Vec<i64> {
        s.iter().map(|m| m.as_int().unwrap()).collect()
    }

    #[test]
    fn inline_intset_moves_to_the_heap_at_the_boundary() {
        let mut s = Set::default();
        assert!(matches!(s.repr, Repr::Inline(_)) && s.is_empty());
        for i in (0..INLINE_INTS as i64).rev() {
            assert!(s.insert((i * 1000).to_string().as_bytes(), 512));
            assert!(!s.insert((i * 1000).to_string().as_bytes(), 512));
        }
        assert!(matches!(s.repr, Repr::Inline(_)));
        assert_eq!(s.heap_size(5), 0);
        assert_eq!(s.len(), INLINE_INTS);
        assert!(s.insert(b"-1", 512));
        assert!(matches!(s.repr, Repr::Small(_)), "one past the inline room");
        assert_eq!(
            s.heap_size(5),
            crate::db::heap_chunk(1 + 2 * (INLINE_INTS + 1))
        );
        let mut want: Vec<i64> = (0..INLINE_INTS as i64).map(|i| i * 1000).collect();
        want.insert(0, -1);
        assert_eq!(ints_of(&s), want);
        assert_eq!(s.encoding(), "intset");
        let copy = s.clone();
        while let Some(Elem::Int(v)) = s.pop_random() {
            assert!(want.contains(&v));
        }
        assert!(s.is_empty());
        assert_eq!(ints_of(&copy), want);
    }

    #[test]
    fn inline_intset_edges_widening_and_removal() {
        let mut s = Set::default();
        for v in [i16::MAX as i64, i16::MIN as i64, 0] {
            assert!(s.insert(v.to_string().as_bytes(), 512));
        }
        assert!(matches!(s.repr, Repr::Inline(_)));
        assert_eq!(ints_of(&s), [i16::MIN as i64, 0, i16::MAX as i64]);
        assert!(s.contains(b"-32768") && s.contains(b"32767") && !s.contains(b"32768"));
        assert!(s.remove(b"0") && !s.remove(b"0"));
        assert_eq!(s.get(1), Some(Member::Int(i16::MAX as i64)));
        assert!(s.insert(b"-32769", 512));
        assert!(matches!(s.repr, Repr::Small(_)), "widened on the heap");
        assert_eq!(ints_of(&s), [-32769, i16::MIN as i64, i16::MAX as i64]);
        for m in [b"-32769".as_slice(), b"-32768", b"32767"] {
            assert!(s.remove(m));
        }
        assert!(s.is_empty());
        let mut t = Set::default();
        for m in [b"1".as_slice(), b"2", b"3"] {
            t.insert(m, 512);
        }
        assert!(t.remove(b"2") && t.remove(b"1") && t.remove(b"3"));
        assert!(t.is_empty() && matches!(t.repr, Repr::Inline(_)));
        assert!(t.insert(b"x", 512));
        assert_eq!(t.encoding(), "hashtable");
    }

    #[test]
    fn inline_intset_honours_a_small_entry_limit() {
        let mut s = Set::default();
        for i in 0..3 {
            s.insert(i.to_string().as_bytes(), 2);
        }
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), 3);
        let mut z = Set::default();
        assert!(z.insert(b"5", 0));
        assert_eq!(z.encoding(), "hashtable");
    }
}
