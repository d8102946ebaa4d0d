//! Sorted set values, in Redis's two encodings: `listpack` (a small exact-size vector of (score,
//! member) pairs kept in order, short members inline in the pair, searched linearly like Redis's
//! listpack) and `skiplist` (a member → score hash table plus
//! an indexed skiplist ordered by (score, member)). Key decisions: the skiplist lives in an arena of
//! nodes addressed by `u32` (no unsafe pointers), each forward link carries its span so ranks are
//! O(log n), and arena slots never move, so a slot index doubles as a stable `ZSCAN` cursor. Every
//! query is rank based: range lookups return the rank of the first/last element in range and callers
//! walk from there with [`ZSet::iter_from`].

use super::Hasher;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Size limits deciding the encoding (`zset-max-listpack-entries` / `zset-max-listpack-value`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most members a listpack may hold.
    pub entries: usize,
    /// Longest member a listpack may hold.
    pub value: usize,
}

/// A score or lexicographic range a sorted set can be queried with (Redis's `zrangespec` /
/// `zlexrangespec`).
pub trait Range {
    /// True when the element is at or above the lower bound.
    fn gte_min(&self, score: f64, member: &[u8]) -> bool;
    /// True when the element is at or below the upper bound.
    fn lte_max(&self, score: f64, member: &[u8]) -> bool;
    /// True when no element can be in range (e.g. min > max).
    fn is_empty(&self) -> bool;
}

/// A score interval; each bound inclusive or exclusive (`(1.5`).
#[derive(Debug, Clone, Copy)]
pub struct ScoreRange {
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
    /// Lower bound excluded.
    pub minex: bool,
    /// Upper bound excluded.
    pub maxex: bool,
}

impl Range for ScoreRange {
    fn gte_min(&self, score: f64, _: &[u8]) -> bool {
        if self.minex {
            score > self.min
        } else {
            score >= self.min
        }
    }

    fn lte_max(&self, score: f64, _: &[u8]) -> bool {
        if self.maxex {
            score < self.max
        } else {
            score <= self.max
        }
    }

    fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

/// One end of a lexicographic range: `-`, `+`, `[member` or `(member`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexBound {
    /// `-`: below every string.
    Min,
    /// `+`: above every string.
    Max,
    /// `[member`.
    Incl(Vec<u8>),
    /// `(member`.
    Excl(Vec<u8>),
}

impl LexBound {
    fn excluded(&self) -> bool {
        !matches!(self, LexBound::Incl(_))
    }

    /// Redis's `sdscmplex`: compares a member with a bound.
    fn cmp_member(member: &[u8], bound: &LexBound) -> Ordering {
        match bound {
            LexBound::Min => Ordering::Greater,
            LexBound::Max => Ordering::Less,
            LexBound::Incl(b) | LexBound::Excl(b) => member.cmp(b),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            LexBound::Min => 0,
            LexBound::Incl(_) | LexBound::Excl(_) => 1,
            LexBound::Max => 2,
        }
    }

    fn cmp_bound(&self, other: &LexBound) -> Ordering {
        match (self, other) {
            (LexBound::Incl(a) | LexBound::Excl(a), LexBound::Incl(b) | LexBound::Excl(b)) => {
                a.cmp(b)
            }
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// A lexicographic interval (`ZRANGEBYLEX`).
#[derive(Debug, Clone)]
pub struct LexRange {
    /// Lower bound.
    pub min: LexBound,
    /// Upper bound.
    pub max: LexBound,
}

impl Range for LexRange {
    fn gte_min(&self, _: f64, member: &[u8]) -> bool {
        let c = LexBound::cmp_member(member, &self.min);
        if self.min.excluded() {
            c == Ordering::Greater
        } else {
            c != Ordering::Less
        }
    }

    fn lte_max(&self, _: f64, member: &[u8]) -> bool {
        let c = LexBound::cmp_member(member, &self.max);
        if self.max.excluded() {
            c == Ordering::Less
        } else {
            c != Ordering::Greater
        }
    }

    fn is_empty(&self) -> bool {
        let c = self.min.cmp_bound(&self.max);
        c == Ordering::Greater
            || (c == Ordering::Equal && (self.min.excluded() || self.max.excluded()))
    }
}

/// Orders (score, member) pairs the way the skiplist does.
fn less(a_score: f64, a_member: &[u8], b_score: f64, b_member: &[u8]) -> bool {
    a_score < b_score || (a_score == b_score && a_member < b_member)
}

const NIL: u32 = u32::MAX;
const MAX_LEVEL: usize = 32;

#[derive(Debug, Clone, Copy)]
struct Link {
    next: u32,
    span: u32,
}

#[derive(Debug, Clone)]
struct Node {
    score: f64,
    member: Box<[u8]>,
    backward: u32,
    /// Forward links, one per level; empty for a free arena slot.
    links: Box<[Link]>,
}

/// An indexed skiplist (Redis's `zskiplist`) over an arena; slot 0 is the header.
#[derive(Debug, Clone)]
struct SkipList {
    nodes: Vec<Node>,
    free: Vec<u32>,
    tail: u32,
    level: usize,
    len: usize,
    rng: u64,
}

impl SkipList {
    fn new() -> SkipList {
        let header = Node {
            score: 0.0,
            member: Box::default(),
            backward: NIL,
            links: vec![Link { next: NIL, span: 0 }; MAX_LEVEL].into_boxed_slice(),
        };
        SkipList {
            nodes: vec![header],
            free: Vec::new(),
            tail: NIL,
            level: 1,
            len: 0,
            rng: 0x9E37_79B9_7F4A_7C15 ^ (super::random_index(usize::MAX) as u64),
        }
    }

    /// Redis's level distribution: each extra level with probability 1/4.
    fn random_level(&mut self) -> usize {
        let mut level = 1;
        loop {
            self.rng ^= self.rng << 13;
            self.rng ^= self.rng >> 7;
            self.rng ^= self.rng << 17;
            if (self.rng & 0xFFFF) >= 0x4000 || level >= MAX_LEVEL {
                return level;
            }
            level += 1;
        }
    }

    fn link(&self, node: u32, level: usize) -> Link {
        self.nodes[node as usize].links[level]
    }

    fn node(&self, id: u32) -> &Node {
        &self.nodes[id as usize]
    }

    /// For each level, the last node before (score, member) and its rank.
    fn search_path(&self, score: f64, member: &[u8]) -> ([u32; MAX_LEVEL], [u32; MAX_LEVEL]) {
        let mut update = [0u32; MAX_LEVEL];
        let mut rank = [0u32; MAX_LEVEL];
        let mut x = 0u32;
        for i in (0..self.level).rev() {
            rank[i] = if i == self.level - 1 { 0 } else { rank[i + 1] };
            loop {
                let l = self.link(x, i);
                if l.next == NIL {
                    break;
                }
                let n = self.node(l.next);
                if !less(n.score, &n.member, score, member) {
                    break;
                }
                rank[i] += l.span;
                x = l.next;
            }
            update[i] = x;
        }
        (update, rank)
    }

    fn alloc(&mut self, node: Node) -> u32 {
        match self.free.pop() {
            Some(id) => {
                self.nodes[id as usize] = node;
                id
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    /// Inserts a member that is not in the list.
    fn insert(&mut self, score: f64, member: Box<[u8]>) {
        let (mut update, mut rank) = self.search_path(score, &member);
        let level = self.random_level();
        if level > self.level {
            for i in self.level..level {
                rank[i] = 0;
                update[i] = 0;
                self.nodes[0].links[i].span = self.len as u32;
            }
            self.level = level;
        }
        let id = self.alloc(Node {
            score,
            member,
            backward: NIL,
            links: vec![Link { next: NIL, span: 0 }; level].into_boxed_slice(),
        });
        for i in 0..level {
            let prev = update[i] as usize;
            let pl = self.nodes[prev].links[i];
            let moved = rank[0] - rank[i];
            self.nodes[id as usize].links[i] = Link {
                next: pl.next,
                span: pl.span - moved,
            };
            self.nodes[prev].links[i] = Link {
                next: id,
                span: moved + 1,
            };
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(level) {
            self.nodes[u as usize].links[i].span += 1;
        }
        let back = if update[0] == 0 { NIL } else { update[0] };
        self.nodes[id as usize].backward = back;
        match self.nodes[id as usize].links[0].next {
            NIL => self.tail = id,
            next => self.nodes[next as usize].backward = id,
        }
        self.len += 1;
    }

    /// Removes (score, member); returns the member's storage when it was there.
    fn delete(&mut self, score: f64, member: &[u8]) -> Option<Box<[u8]>> {
        let (update, _) = self.search_path(score, member);
        let x = self.link(update[0], 0).next;
        if x == NIL {
            return None;
        }
        let n = self.node(x);
        if n.score != score || &*n.member != member {
            return None;
        }
        Some(self.unlink(x, &update))
    }

    fn unlink(&mut self, x: u32, update: &[u32; MAX_LEVEL]) -> Box<[u8]> {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let ul = self.link(u, i);
            if ul.next == x {
                let xl = self.link(x, i);
                self.nodes[u as usize].links[i] = Link {
                    next: xl.next,
                    span: ul.span + xl.span - 1,
                };
            } else {
                self.nodes[u as usize].links[i].span -= 1;
            }
        }
        let next = self.link(x, 0).next;
        let back = self.node(x).backward;
        match next {
            NIL => self.tail = back,
            n => self.nodes[n as usize].backward = back,
        }
        while self.level > 1 && self.link(0, self.level - 1).next == NIL {
            self.level -= 1;
        }
        self.len -= 1;
        let node = &mut self.nodes[x as usize];
        node.links = Box::default();
        self.free.push(x);
        std::mem::take(&mut node.member)
    }

    /// Changes the score of a member, in place when its position does not change.
    fn update_score(&mut self, old: f64, member: &[u8], new: f64) {
        let (update, _) = self.search_path(old, member);
        let x = self.link(update[0], 0).next;
        let back = self.node(x).backward;
        let next = self.link(x, 0).next;
        let after_prev = back == NIL || {
            let b = self.node(back);
            less(b.score, &b.member, new, member)
        };
        let before_next = next == NIL || {
            let n = self.node(next);
            less(new, member, n.score, &n.member)
        };
        if after_prev && before_next {
            self.nodes[x as usize].score = new;
            return;
        }
        let owned = self.unlink(x, &update);
        self.insert(new, owned);
    }

    /// 0-based rank of (score, member), which must be in the list.
    fn rank(&self, score: f64, member: &[u8]) -> usize {
        let mut x = 0u32;
        let mut traversed = 0usize;
        for i in (0..self.level).rev() {
            loop {
                let l = self.link(x, i);
                if l.next == NIL {
                    break;
                }
                let n = self.node(l.next);
                if less(score, member, n.score, &n.member) {
                    break;
                }
                traversed += l.span as usize;
                x = l.next;
            }
            if x != 0 && self.node(x).score == score && &*self.node(x).member == member {
                return traversed - 1;
            }
        }
        traversed.saturating_sub(1)
    }

    /// The node at 0-based `rank` (must be below `len`).
    fn at_rank(&self, rank: usize) -> u32 {
        let target = rank + 1;
        let mut x = 0u32;
        let mut traversed = 0usize;
        for i in (0..self.level).rev() {
            loop {
                let l = self.link(x, i);
                if l.next == NIL || traversed + l.span as usize > target {
                    break;
                }
                traversed += l.span as usize;
                x = l.next;
            }
            if traversed == target {
                return x;
            }
        }
        x
    }

    /// Number of leading elements for which `pred` holds (`pred` must hold on a prefix).
    fn partition(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        let mut x = 0u32;
        let mut traversed = 0usize;
        for i in (0..self.level).rev() {
            loop {
                let l = self.link(x, i);
                if l.next == NIL {
                    break;
                }
                let n = self.node(l.next);
                if !pred(n.score, &n.member) {
                    break;
                }
                traversed += l.span as usize;
                x = l.next;
            }
        }
        traversed
    }
}

/// The skiplist encoding: hash table for O(1) score lookup plus the ordered list.
#[derive(Debug, Clone)]
struct SkipSet {
    dict: HashMap<Box<[u8]>, f64, Hasher>,
    list: SkipList,
}

#[derive(Debug, Clone)]
enum Repr {
    Pack(Box<[u8]>),
    Skip(Box<SkipSet>),
}

/// A sorted set value (16 bytes: it sits in the `Value` itself).
#[derive(Debug, Clone)]
pub struct ZSet {
    repr: Repr,
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet {
            repr: Repr::Pack(Box::default()),
        }
    }
}

/// The listpack encoding: entries `header [varint(len)] member [score]` in (score, member) order, in
/// one exact-size buffer. The header byte holds the member length in its low nibble (15: a varint
/// length follows) and the score's form in its high nibble: 0..=12 the integer score itself, 13 a
/// zigzag varint integer, 14 the f64's 8 bytes. So a short member with a small integer score costs one
/// byte beyond its bytes.
mod packed {
    use super::super::pack;
    use std::ops::Range;

    const SMALL_MAX: u8 = 12;
    const INT: u8 = 13;
    const FLOAT: u8 = 14;
    const LONG: u8 = 15;

    /// A listpack score as stored: `-0` reads back as `0` (Redis stores it as an integer).
    fn form(score: f64) -> (u8, i64) {
        let i = score as i64;
        if i as f64 != score {
            (FLOAT, 0)
        } else if (0..=SMALL_MAX as i64).contains(&i) {
            (i as u8, i)
        } else {
            (INT, i)
        }
    }

    fn zigzag(i: i64) -> usize {
        ((i << 1) ^ (i >> 63)) as u64 as usize
    }

    fn unzigzag(z: usize) -> i64 {
        ((z >> 1) as i64) ^ -((z & 1) as i64)
    }

    /// Bytes the entry for (member, score) takes.
    pub fn entry_len(member: &[u8], score: f64) -> usize {
        let len = if member.len() < LONG as usize {
            0
        } else {
            pack::varint_len(member.len())
        };
        let score = match form(score) {
            (FLOAT, _) => 8,
            (INT, i) => pack::varint_len(zigzag(i)),
            _ => 0,
        };
        1 + len + member.len() + score
    }

    /// Appends the entry for (member, score).
    pub fn push(buf: &mut Vec<u8>, member: &[u8], score: f64) {
        let (f, i) = form(score);
        let nibble = member.len().min(LONG as usize) as u8;
        buf.push(f << 4 | nibble);
        if nibble == LONG {
            pack::push_varint(buf, member.len());
        }
        buf.extend_from_slice(member);
        match f {
            FLOAT => buf.extend_from_slice(&score.to_le_bytes()),
            INT => pack::push_varint(buf, zigzag(i)),
            _ => {}
        }
    }

    /// Decodes the entry at `pos`: (member range, score, position after it).
    #[inline]
    pub fn decode(buf: &[u8], pos: usize) -> (Range<usize>, f64, usize) {
        let h = buf[pos];
        let (len, start) = match h & 0x0f {
            LONG => pack::read_varint(buf, pos + 1),
            n => (n as usize, pos + 1),
        };
        let end = start + len;
        match h >> 4 {
            FLOAT => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&buf[end..end + 8]);
                (start..end, f64::from_le_bytes(b), end + 8)
            }
            INT => {
                let (z, next) = pack::read_varint(buf, end);
                (start..end, unzigzag(z) as f64, next)
            }
            small => (start..end, small as f64, end),
        }
    }

    /// Iterates (entry span, member, score) in order.
    pub fn entries(buf: &[u8]) -> impl Iterator<Item = (Range<usize>, &[u8], f64)> + '_ {
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= buf.len() {
                return None;
            }
            let (m, score, next) = decode(buf, pos);
            let span = pos..next;
            pos = next;
            Some((span, &buf[m], score))
        })
    }

    /// The byte span of `member`'s entry.
    pub fn find(buf: &[u8], member: &[u8]) -> Option<Range<usize>> {
        entries(buf)
            .find(|(_, m, _)| *m == member)
            .map(|(span, _, _)| span)
    }

    /// Inserts (member, score) at its place in the order (the member must be absent).
    pub fn insert(b: &mut Box<[u8]>, member: &[u8], score: f64) {
        let at = entries(b)
            .find(|(_, m, sc)| !super::less(*sc, m, score, member))
            .map_or(b.len(), |(span, _, _)| span.start);
        let n = entry_len(member, score);
        pack::edit(b, |v| {
            v.reserve_exact(n);
            let mut enc = Vec::with_capacity(n);
            push(&mut enc, member, score);
            v.splice(at..at, enc);
        });
    }

    /// Removes the bytes `span`.
    pub fn cut(b: &mut Box<[u8]>, span: Range<usize>) {
        pack::edit(b, |v| v.drain(span).count());
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn scores_round_trip_in_every_form() {
            let scores = [
                0.0,
                -0.0,
                1.0,
                12.0,
                13.0,
                -1.0,
                0.5,
                -2.5e-300,
                f64::INFINITY,
                f64::NEG_INFINITY,
                i64::MAX as f64,
                i64::MIN as f64,
                9007199254740993.0,
                1e300,
            ];
            let members: [&[u8]; 4] = [b"", b"m", &[0, 255, 10, 13], &[7u8; 300]];
            for sc in scores {
                for m in members {
                    let mut v = Vec::new();
                    push(&mut v, m, sc);
                    assert_eq!(v.len(), entry_len(m, sc));
                    let (r, got, next) = decode(&v, 0);
                    assert_eq!(&v[r], m);
                    assert_eq!(got, if sc == 0.0 { 0.0 } else { sc });
                    assert!(got.is_sign_positive() || sc < 0.0);
                    assert_eq!(next, v.len());
                }
            }
        }

        #[test]
        fn short_member_with_small_score_costs_one_byte_more() {
            assert_eq!(entry_len(b"member0", 3.0), 8);
            assert_eq!(entry_len(b"member0", 13.0), 9);
            assert_eq!(entry_len(b"member0", 1.5), 16);
            assert_eq!(entry_len(&[b'x'; 15], 0.0), 17);
        }
    }
}

/// Iterates (member, score) pairs from a rank, forwards or backwards.
pub struct Iter<'a> {
    inner: IterRepr<'a>,
}

enum IterRepr<'a> {
    /// Listpack, forwards: byte position of the next entry.
    Pack(&'a [u8], usize),
    /// Listpack, backwards: the entry offsets still to visit (the last one next).
    PackRev(&'a [u8], Vec<u32>),
    /// Skiplist: next node (`NIL` when done).
    Skip(&'a SkipList, u32, bool),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            IterRepr::Pack(buf, pos) => {
                if *pos >= buf.len() {
                    return None;
                }
                let (m, score, next) = packed::decode(buf, *pos);
                *pos = next;
                Some((&buf[m], score))
            }
            IterRepr::PackRev(buf, offsets) => {
                let (m, score, _) = packed::decode(buf, offsets.pop()? as usize);
                Some((&buf[m], score))
            }
            IterRepr::Skip(list, pos, rev) => {
                if *pos == NIL {
                    return None;
                }
                let n = list.node(*pos);
                *pos = if *rev { n.backward } else { n.links[0].next };
                Some((&n.member, n.score))
            }
        }
    }
}

impl ZSet {
    /// An empty sorted set: `listpack` unless `skiplist` is asked for.
    pub fn new(skiplist: bool) -> ZSet {
        if skiplist {
            ZSet {
                repr: Repr::Skip(Box::new(SkipSet {
                    dict: HashMap::default(),
                    list: SkipList::new(),
                })),
            }
        } else {
            ZSet::default()
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Pack(b) => packed::entries(b).count(),
            Repr::Skip(s) => s.list.len,
        }
    }

    /// True when the sorted set has no member (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Pack(_) => "listpack",
            Repr::Skip(_) => "skiplist",
        }
    }

    /// Heap bytes held by the sorted set, for `MEMORY USAGE`; a skiplist's members are sampled (up to
    /// `samples` of them) and the average extrapolated, as Redis does.
    pub fn heap_size(&self, samples: usize) -> usize {
        use super::heap_chunk;
        use std::mem::size_of;
        match &self.repr {
            Repr::Pack(b) => heap_chunk(b.len()),
            Repr::Skip(s) => {
                let member = |m: &[u8]| 2 * heap_chunk(m.len()) + heap_chunk(16);
                let keys = s.dict.keys().map(|k| &k[..]);
                let members = super::sampled(s.dict.len(), samples, keys, member);
                let slots = s.dict.capacity() * (size_of::<Box<[u8]>>() + 9 + 8);
                let nodes = s.list.nodes.capacity() * size_of::<Node>();
                heap_chunk(size_of::<SkipSet>()) + members + slots + heap_chunk(nodes)
            }
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.repr {
            Repr::Pack(b) => packed::entries(b)
                .find(|(_, m, _)| *m == member)
                .map(|(_, _, sc)| sc),
            Repr::Skip(s) => s.dict.get(member).copied(),
        }
    }

    /// Adds a member that is not in the set, converting to `skiplist` first when the listpack would
    /// outgrow `limits`.
    pub fn insert(&mut self, member: &[u8], score: f64, limits: Limits) {
        if matches!(self.repr, Repr::Pack(_))
            && (self.len() + 1 > limits.entries || member.len() > limits.value)
        {
            self.convert_to_skiplist();
        }
        match &mut self.repr {
            Repr::Pack(b) => packed::insert(b, member, score),
            Repr::Skip(s) => {
                s.dict.insert(member.into(), score);
                s.list.insert(score, member.into());
            }
        }
    }

    /// Changes the score of an existing member from `old` to `new`.
    pub fn update(&mut self, member: &[u8], old: f64, new: f64) {
        match &mut self.repr {
            Repr::Pack(b) => {
                if let Some(span) = packed::find(b, member) {
                    packed::cut(b, span);
                    packed::insert(b, member, new);
                }
            }
            Repr::Skip(s) => {
                if let Some(sc) = s.dict.get_mut(member) {
                    *sc = new;
                    s.list.update_score(old, member, new);
                }
            }
        }
    }

    /// Removes `member`; true when it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Pack(b) => match packed::find(b, member) {
                Some(span) => {
                    packed::cut(b, span);
                    true
                }
                None => false,
            },
            Repr::Skip(s) => match s.dict.remove(member) {
                Some(score) => {
                    s.list.delete(score, member);
                    true
                }
                None => false,
            },
        }
    }

    /// 0-based rank of `member` in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        match &self.repr {
            Repr::Pack(b) => packed::entries(b).position(|(_, m, _)| m == member),
            Repr::Skip(s) => s.dict.get(member).map(|&sc| s.list.rank(sc, member)),
        }
    }

    /// Iterates from 0-based ascending `rank` towards higher ranks, or lower ones when `rev`.
    pub fn iter_from(&self, rank: usize, rev: bool) -> Iter<'_> {
        let inner = match &self.repr {
            Repr::Pack(b) if rev => {
                let offsets = packed::entries(b)
                    .take(rank + 1)
                    .map(|(span, _, _)| span.start as u32);
                IterRepr::PackRev(b, offsets.collect())
            }
            Repr::Pack(b) => {
                let start = packed::entries(b)
                    .nth(rank)
                    .map_or(b.len(), |(span, _, _)| span.start);
                IterRepr::Pack(b, start)
            }
            Repr::Skip(s) if rank < s.list.len => {
                IterRepr::Skip(&s.list, s.list.at_rank(rank), rev)
            }
            Repr::Skip(s) => IterRepr::Skip(&s.list, NIL, rev),
        };
        Iter { inner }
    }

    /// Iterates all members in ascending order.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0, false)
    }

    /// The element at 0-based ascending `rank`.
    pub fn at(&self, rank: usize) -> Option<(&[u8], f64)> {
        self.iter_from(rank, false).next()
    }

    fn head_tail_in<R: Range>(&self, r: &R) -> bool {
        if r.is_empty() || self.is_empty() {
            return false;
        }
        let (Some(first), Some(last)) = (self.at(0), self.at(self.len() - 1)) else {
            return false;
        };
        r.gte_min(last.1, last.0) && r.lte_max(first.1, first.0)
    }

    /// Rank of the first (lowest) element in range (Redis's `zslFirstInRange` / `zzlFirstInRange`).
    pub fn first_in<R: Range>(&self, r: &R) -> Option<usize> {
        if !self.head_tail_in(r) {
            return None;
        }
        let rank = match &self.repr {
            Repr::Pack(b) => packed::entries(b).position(|(_, m, sc)| r.gte_min(sc, m))?,
            Repr::Skip(s) => s.list.partition(|sc, m| !r.gte_min(sc, m)),
        };
        let (m, sc) = self.at(rank)?;
        r.lte_max(sc, m).then_some(rank)
    }

    /// Rank of the last (highest) element in range.
    pub fn last_in<R: Range>(&self, r: &R) -> Option<usize> {
        if !self.head_tail_in(r) {
            return None;
        }
        let rank = match &self.repr {
            Repr::Pack(b) => packed::entries(b)
                .take_while(|(_, m, sc)| r.lte_max(*sc, m))
                .count()
                .checked_sub(1)?,
            Repr::Skip(s) => s.list.partition(|sc, m| r.lte_max(sc, m)).checked_sub(1)?,
        };
        let (m, sc) = self.at(rank)?;
        r.gte_min(sc, m).then_some(rank)
    }

    /// Number of elements in range.
    pub fn count_in<R: Range>(&self, r: &R) -> usize {
        match (self.first_in(r), self.last_in(r)) {
            (Some(a), Some(b)) if b >= a => b - a + 1,
            _ => 0,
        }
    }

    /// Removes the elements with 0-based ascending ranks `start..=end`; returns how many.
    pub fn remove_ranks(&mut self, start: usize, end: usize) -> usize {
        if start > end || start >= self.len() {
            return 0;
        }
        let end = end.min(self.len() - 1);
        match &mut self.repr {
            Repr::Pack(b) => {
                let span = |rank| packed::entries(b).nth(rank).map(|(span, _, _)| span);
                if let (Some(from), Some(to)) = (span(start), span(end)) {
                    packed::cut(b, from.start..to.end);
                }
            }
            Repr::Skip(s) => {
                let mut x = s.list.at_rank(start);
                for _ in start..=end {
                    let n = s.list.node(x);
                    let (score, next) = (n.score, n.links[0].next);
                    let member = n.member.clone();
                    s.list.delete(score, &member);
                    s.dict.remove(&member);
                    x = next;
                }
            }
        }
        end - start + 1
    }

    /// Visits (member, score) pairs from `cursor`: a listpack is visited whole (next cursor 0); a
    /// skiplist by arena slot, `count` slots per call. Returns the next cursor (0 when done).
    pub fn scan<'a>(&'a self, cursor: u64, count: usize, mut f: impl FnMut(&'a [u8], f64)) -> u64 {
        match &self.repr {
            Repr::Pack(b) => {
                packed::entries(b).for_each(|(_, m, sc)| f(m, sc));
                0
            }
            Repr::Skip(s) => {
                let nodes = &s.list.nodes;
                let mut i = (cursor as usize).max(1);
                let mut seen = 0;
                while i < nodes.len() && seen < count {
                    if !nodes[i].links.is_empty() {
                        f(&nodes[i].member, nodes[i].score);
                    }
                    i += 1;
                    seen += 1;
                }
                if i >= nodes.len() {
                    0
                } else {
                    i as u64
                }
            }
        }
    }

    /// Turns a skiplist back into a listpack when it fits `limits` (store commands do this).
    pub fn shrink_to_fit(&mut self, limits: Limits) {
        if let Repr::Skip(s) = &self.repr {
            let longest = s.dict.keys().map(|k| k.len()).max().unwrap_or(0);
            if s.list.len <= limits.entries && longest <= limits.value {
                let size = self.iter().map(|(m, sc)| packed::entry_len(m, sc)).sum();
                let mut v = Vec::with_capacity(size);
                self.iter().for_each(|(m, sc)| packed::push(&mut v, m, sc));
                self.repr = Repr::Pack(v.into_boxed_slice());
            }
        }
    }

    /// Switches a listpack to the skiplist encoding (no-op for a skiplist); SORT does this, as Redis.
    pub fn convert_to_skiplist(&mut self) {
        if !matches!(self.repr, Repr::Pack(_)) {
            return;
        }
        let mut s = SkipSet {
            dict: HashMap::default(),
            list: SkipList::new(),
        };
        s.dict.reserve(self.len());
        for (m, sc) in self.iter() {
            s.dict.insert(m.into(), sc);
            s.list.insert(sc, m.into());
        }
        self.repr = Repr::Skip(Box::new(s));
    }

    /// Checks the skiplist invariants (tests only).
    #[cfg(test)]
    fn check(&self) {
        if let Repr::Skip(s) = &self.repr {
            let all: Vec<(Vec<u8>, f64)> = self.iter().map(|(m, sc)| (m.to_vec(), sc)).collect();
            assert_eq!(all.len(), s.list.len);
            assert_eq!(all.len(), s.dict.len());
            for (i, (m, sc)) in all.iter().enumerate() {
                assert_eq!(s.dict[m.as_slice()], *sc);
                assert_eq!(self.rank(m), Some(i));
                assert_eq!(self.at(i).unwrap().0, m.as_slice());
            }
            for w in all.windows(2) {
                assert!(less(w[0].1, &w[0].0, w[1].1, &w[1].0));
            }
            let back: Vec<&[u8]> = self
                .iter_from(all.len().saturating_sub(1), true)
                .map(|(m, _)| m)
                .collect();
            assert_eq!(back.len(), all.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        entries: 4,
        value: 64,
    };

    #[test]
    fn skiplist_ranks_and_updates() {
        let mut z = ZSet::new(true);
        for i in 0..500u32 {
            let m = format!("m{}", (i * 7919) % 500);
            z.insert(m.as_bytes(), ((i * 31) % 97) as f64, SMALL);
        }
        z.check();
        for i in 0..500u32 {
            let m = format!("m{i}");
            let old = z.score(m.as_bytes()).unwrap();
            z.update(m.as_bytes(), old, old + (i % 5) as f64 - 2.0);
        }
        z.check();
        for i in (0..500u32).step_by(3) {
            assert!(z.remove(format!("m{i}").as_bytes()));
        }
        z.check();
        assert_eq!(z.remove_ranks(10, 20), 11);
        z.check();
        let r = ScoreRange {
            min: 10.0,
            max: 20.0,
            minex: true,
            maxex: false,
        };
        let n = z
            .iter()
            .filter(|(m, s)| r.gte_min(*s, m) && r.lte_max(*s, m))
            .count();
        assert_eq!(z.count_in(&r), n);
    }

    #[test]
    fn converts_past_limits() {
        let mut z = ZSet::new(false);
        for i in 0..4 {
            z.insert(format!("{i}").as_bytes(), i as f64, SMALL);
        }
        assert_eq!(z.encoding(), "listpack");
        z.insert(b"x", 9.0, SMALL);
        assert_eq!(z.encoding(), "skiplist");
        z.check();
        z.remove(b"x");
        z.shrink_to_fit(SMALL);
        assert_eq!(z.encoding(), "listpack");
        assert_eq!(z.len(), 4);
    }

    #[test]
    fn lex_ranges() {
        let r = LexRange {
            min: LexBound::Excl(b"b".to_vec()),
            max: LexBound::Max,
        };
        assert!(!r.gte_min(0.0, b"b"));
        assert!(r.gte_min(0.0, b"ba"));
        assert!(r.lte_max(0.0, b"zzz"));
        let e = LexRange {
            min: LexBound::Min,
            max: LexBound::Min,
        };
        assert!(e.is_empty());
    }
}
