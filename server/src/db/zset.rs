//! Sorted set values, in Redis's two encodings: `listpack` (a small exact-size vector of (score,
//! member) pairs kept in order, short members inline in the pair, searched linearly like Redis's
//! listpack) and `skiplist` (a member → score hash table plus
//! an indexed skiplist ordered by (score, member)). Key decisions: the skiplist lives in an arena of
//! nodes addressed by `u32` (no unsafe pointers), each forward link carries its span so ranks are
//! O(log n), and arena slots never move, so a slot index doubles as a stable `ZSCAN` cursor. Every
//! query is rank based: range lookups return the rank of the first/last element in range and callers
//! walk from there with [`ZSet::iter_from`].

use super::{Bytes, Hasher};
use hashbrown::HashTable;
use std::cmp::Ordering;
use std::hash::BuildHasher;

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

#[derive(Debug, Clone, Copy, Default)]
struct Link {
    next: u32,
    span: u32,
}

/// A skiplist node (64 bytes): the member is stored here only (the hash table holds node ids), inline
/// when short; three nodes in four have one level, so their upper links cost no allocation.
#[derive(Debug, Clone, Default)]
struct Node {
    member: Bytes,
    score: f64,
    /// The level-0 forward link.
    next: Link,
    /// Forward links of levels 1 and up.
    upper: Box<[Link]>,
    backward: u32,
    /// Number of levels; 0 for a free arena slot.
    level: u8,
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
        let none = Link { next: NIL, span: 0 };
        let header = Node {
            next: none,
            upper: vec![none; MAX_LEVEL - 1].into_boxed_slice(),
            backward: NIL,
            level: MAX_LEVEL as u8,
            ..Node::default()
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

    #[inline]
    fn link(&self, node: u32, level: usize) -> Link {
        let n = &self.nodes[node as usize];
        if level == 0 {
            n.next
        } else {
            n.upper[level - 1]
        }
    }

    #[inline]
    fn link_mut(&mut self, node: u32, level: usize) -> &mut Link {
        let n = &mut self.nodes[node as usize];
        if level == 0 {
            &mut n.next
        } else {
            &mut n.upper[level - 1]
        }
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
                if self.nodes.len() == self.nodes.capacity() {
                    self.nodes.reserve_exact((self.nodes.len() / 4).max(4));
                }
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    /// Inserts a member that is not in the list; returns its node.
    fn insert(&mut self, score: f64, member: Bytes) -> u32 {
        let (mut update, mut rank) = self.search_path(score, &member);
        let level = self.random_level();
        if level > self.level {
            for i in self.level..level {
                rank[i] = 0;
                update[i] = 0;
                self.link_mut(0, i).span = self.len as u32;
            }
            self.level = level;
        }
        let id = self.alloc(Node {
            member,
            score,
            next: Link::default(),
            upper: vec![Link::default(); level - 1].into_boxed_slice(),
            backward: NIL,
            level: level as u8,
        });
        for i in 0..level {
            let prev = update[i];
            let pl = self.link(prev, i);
            let moved = rank[0] - rank[i];
            *self.link_mut(id, i) = Link {
                next: pl.next,
                span: pl.span - moved,
            };
            *self.link_mut(prev, i) = Link {
                next: id,
                span: moved + 1,
            };
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(level) {
            self.link_mut(u, i).span += 1;
        }
        let back = if update[0] == 0 { NIL } else { update[0] };
        self.nodes[id as usize].backward = back;
        match self.nodes[id as usize].next.next {
            NIL => self.tail = id,
            next => self.nodes[next as usize].backward = id,
        }
        self.len += 1;
        id
    }

    /// Removes node `x`; returns its member.
    fn delete(&mut self, x: u32) -> Bytes {
        let n = self.node(x);
        let (update, _) = self.search_path(n.score, &n.member);
        self.unlink(x, &update)
    }

    fn unlink(&mut self, x: u32, update: &[u32; MAX_LEVEL]) -> Bytes {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let ul = self.link(u, i);
            if ul.next == x {
                let xl = self.link(x, i);
                *self.link_mut(u, i) = Link {
                    next: xl.next,
                    span: ul.span + xl.span - 1,
                };
            } else {
                self.link_mut(u, i).span -= 1;
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
        self.free.push(x);
        std::mem::take(&mut self.nodes[x as usize]).member
    }

    /// Changes the score of node `x`, in place when its position does not change; returns the node
    /// now holding the member.
    fn update_score(&mut self, x: u32, new: f64) -> u32 {
        let n = self.node(x);
        let (update, _) = self.search_path(n.score, &n.member);
        let member = &self.node(x).member;
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
            return x;
        }
        let owned = self.unlink(x, &update);
        self.insert(new, owned)
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

/// The skiplist encoding: the ordered list plus a hash table of its node ids for O(1) lookup by
/// member (the member is stored once, in its node).
#[derive(Debug, Clone)]
struct SkipSet {
    dict: HashTable<u32>,
    hasher: Hasher,
    list: SkipList,
}

impl SkipSet {
    fn new(capacity: usize) -> SkipSet {
        let mut list = SkipList::new();
        list.nodes.reserve_exact(capacity);
        SkipSet {
            dict: HashTable::with_capacity(capacity),
            hasher: Hasher::default(),
            list,
        }
    }

    /// The node holding `member`.
    #[inline]
    fn get(&self, member: &[u8]) -> Option<u32> {
        let nodes = &self.list.nodes;
        let hash = self.hasher.hash_one(member);
        self.dict
            .find(hash, |&id| &*nodes[id as usize].member == member)
            .copied()
    }

    fn score(&self, member: &[u8]) -> Option<f64> {
        self.get(member).map(|id| self.list.node(id).score)
    }

    /// Adds a member that is not in the set.
    fn insert(&mut self, member: &[u8], score: f64) {
        let id = self.list.insert(score, Bytes::new(member));
        let (nodes, hasher) = (&self.list.nodes, &self.hasher);
        let hash = hasher.hash_one(member);
        self.dict
            .insert_unique(hash, id, |&id| hasher.hash_one(&*nodes[id as usize].member));
    }

    /// Removes `member`; returns its score when it was there.
    fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let nodes = &self.list.nodes;
        let hash = self.hasher.hash_one(member);
        let entry = self
            .dict
            .find_entry(hash, |&id| &*nodes[id as usize].member == member)
            .ok()?;
        let (id, _) = entry.remove();
        let score = self.list.node(id).score;
        self.list.delete(id);
        Some(score)
    }

    /// Sets the score of `member`, which must be in the set.
    fn update(&mut self, member: &[u8], new: f64) {
        let Some(id) = self.get(member) else {
            return;
        };
        let moved = self.list.update_score(id, new);
        if moved != id {
            let nodes = &self.list.nodes;
            let hash = self.hasher.hash_one(member);
            if let Some(slot) = self.dict.find_mut(hash, |&x| x == id) {
                *slot = moved;
            }
            debug_assert_eq!(&*nodes[moved as usize].member, member);
        }
    }
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
        let (m, at) = member_at(buf, pos);
        let (score, next) = score_at(buf, buf[pos], at);
        (m, score, next)
    }

    /// The score of an entry with header `h`, starting at `at`, and the position after it.
    #[inline(always)]
    fn score_at(buf: &[u8], h: u8, at: usize) -> (f64, usize) {
        match h >> 4 {
            FLOAT => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&buf[at..at + 8]);
                (f64::from_le_bytes(b), at + 8)
            }
            INT => {
                let (z, next) = pack::read_varint(buf, at);
                (unzigzag(z) as f64, next)
            }
            small => (small as f64, at),
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

    /// The member range of the entry at `pos` and the position of its score.
    #[inline(always)]
    fn member_at(buf: &[u8], pos: usize) -> (Range<usize>, usize) {
        let (len, start) = match buf[pos] & 0x0f {
            LONG => pack::read_varint(buf, pos + 1),
            n => (n as usize, pos + 1),
        };
        (start..start + len, start + len)
    }

    /// Position after the score of an entry with header `h`, the score starting at `at`.
    #[inline(always)]
    fn skip_score(buf: &[u8], h: u8, at: usize) -> usize {
        match h >> 4 {
            FLOAT => at + 8,
            INT => pack::read_varint(buf, at).1,
            _ => at,
        }
    }

    /// The byte span and the score of `member`'s entry (a walk that decodes only the match's score).
    #[inline(always)]
    pub fn lookup(buf: &[u8], member: &[u8]) -> Option<(Range<usize>, f64)> {
        let mut pos = 0;
        while pos < buf.len() {
            let h = buf[pos];
            let (m, at) = member_at(buf, pos);
            if &buf[m] == member {
                let (score, next) = score_at(buf, h, at);
                return Some((pos..next, score));
            }
            pos = skip_score(buf, h, at);
        }
        None
    }

    /// The byte span of `member`'s entry.
    pub fn find(buf: &[u8], member: &[u8]) -> Option<Range<usize>> {
        lookup(buf, member).map(|(span, _)| span)
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
                *pos = if *rev { n.backward } else { n.next.next };
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
                repr: Repr::Skip(Box::new(SkipSet::new(0))),
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
        match &self.repr {
            Repr::Pack(b) => b.is_empty(),
            Repr::Skip(s) => s.list.len == 0,
        }
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
                let live = s.list.nodes.iter().filter(|n| n.level > 0).skip(1);
                let node = |n: &Node| {
                    heap_chunk(n.member.heap_size()) + heap_chunk(n.upper.len() * size_of::<Link>())
                };
                let members = super::sampled(s.list.len, samples, live, node);
                let slots = s.dict.capacity() * 8 / 7 * (size_of::<u32>() + 1);
                let nodes = s.list.nodes.capacity() * size_of::<Node>();
                let free = s.list.free.capacity() * size_of::<u32>();
                let header = heap_chunk((MAX_LEVEL - 1) * size_of::<Link>());
                heap_chunk(size_of::<SkipSet>())
                    + members
                    + heap_chunk(slots)
                    + heap_chunk(nodes)
                    + heap_chunk(free)
                    + header
            }
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.repr {
            Repr::Pack(b) => packed::lookup(b, member).map(|(_, sc)| sc),
            Repr::Skip(s) => s.score(member),
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
            Repr::Skip(s) => s.insert(member, score),
        }
    }

    /// Changes the score of an existing member to `new`.
    pub fn update(&mut self, member: &[u8], new: f64) {
        match &mut self.repr {
            Repr::Pack(b) => {
                if let Some(span) = packed::find(b, member) {
                    packed::cut(b, span);
                    packed::insert(b, member, new);
                }
            }
            Repr::Skip(s) => s.update(member, new),
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
            Repr::Skip(s) => s.remove(member).is_some(),
        }
    }

    /// 0-based rank of `member` in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        match &self.repr {
            Repr::Pack(b) => packed::entries(b).position(|(_, m, _)| m == member),
            Repr::Skip(s) => s.score(member).map(|sc| s.list.rank(sc, member)),
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
                    let next = s.list.node(x).next.next;
                    let member = s.list.node(x).member.clone();
                    s.remove(&member);
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
                    if nodes[i].level > 0 {
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
            let longest = self.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
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
        let mut s = SkipSet::new(self.len() + 1);
        for (m, sc) in self.iter() {
            s.insert(m, sc);
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
                assert_eq!(s.score(m), Some(*sc));
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
            z.update(m.as_bytes(), old + (i % 5) as f64 - 2.0);
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
    fn skiplist_members_stored_once_any_length() {
        let mut z = ZSet::new(true);
        let member = |i: u32| {
            let mut m = vec![0u8, 255, (i % 7) as u8];
            m.extend(std::iter::repeat_n(b'x', (i as usize * 13) % 60));
            m.extend_from_slice(&i.to_le_bytes());
            m
        };
        for i in 0..300u32 {
            z.insert(
                &member(i),
                [f64::NEG_INFINITY, 0.0, 1.5, f64::INFINITY][i as usize % 4],
                SMALL,
            );
        }
        z.check();
        for i in (0..300u32).step_by(2) {
            z.update(&member(i), -(i as f64));
        }
        z.check();
        assert_eq!(z.at(0).map(|(m, _)| m.to_vec()), Some(member(298)));
        let mut seen = 0;
        let mut cursor = 0;
        loop {
            cursor = z.scan(cursor, 10, |_, _| seen += 1);
            if cursor == 0 {
                break;
            }
        }
        assert_eq!(seen, 300);
        assert!(z.remove(&member(1)) && !z.remove(&member(1)));
        assert_eq!(z.remove_ranks(0, 299), 299);
        assert!(z.is_empty());
        z.check();
    }

    #[test]
    fn listpack_orders_updates_and_ranges() {
        let big = Limits {
            entries: 128,
            value: 64,
        };
        let mut z = ZSet::default();
        let input: [(&[u8], f64); 7] = [
            (b"b", 1.0),
            (b"a", 1.0),
            (b"", -0.0),
            (&[0, 255], f64::INFINITY),
            (b"neg", -1e300),
            (b"x", 13.0),
            (b"long-member-of-20-by", 0.25),
        ];
        for (m, sc) in input {
            z.insert(m, sc, big);
        }
        assert_eq!(z.encoding(), "listpack");
        assert_eq!(std::mem::size_of::<ZSet>(), 16);
        let order: Vec<&[u8]> = z.iter().map(|(m, _)| m).collect();
        let want: [&[u8]; 7] = [
            b"neg",
            b"",
            b"long-member-of-20-by",
            b"a",
            b"b",
            b"x",
            &[0, 255],
        ];
        assert_eq!(order, want);
        let rev: Vec<&[u8]> = z.iter_from(6, true).map(|(m, _)| m).collect();
        assert_eq!(rev, want.iter().rev().copied().collect::<Vec<_>>());
        assert_eq!(z.iter_from(2, true).count(), 3);
        assert_eq!(z.score(b""), Some(0.0));
        assert!(z.score(b"").unwrap().is_sign_positive());
        z.update(b"neg", 100.0);
        assert_eq!(z.rank(b"neg"), Some(5));
        let r = ScoreRange {
            min: 0.0,
            max: 13.0,
            minex: true,
            maxex: false,
        };
        assert_eq!(
            (z.first_in(&r), z.last_in(&r), z.count_in(&r)),
            (Some(1), Some(4), 4)
        );
        assert_eq!(z.remove_ranks(1, 2), 2);
        assert_eq!(z.len(), 5);
        assert!(z.remove(&[0, 255]) && !z.remove(&[0, 255]));
        let left: Vec<(Vec<u8>, f64)> = z.iter().map(|(m, sc)| (m.to_vec(), sc)).collect();
        assert_eq!(
            left,
            [
                (b"".to_vec(), 0.0),
                (b"b".to_vec(), 1.0),
                (b"x".to_vec(), 13.0),
                (b"neg".to_vec(), 100.0)
            ]
        );
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
