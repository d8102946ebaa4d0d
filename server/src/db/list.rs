//! List values as a *quicklist*, like Redis 7.0: a deque of packed nodes, each one byte buffer holding
//! up to a [`NodeLimit`] (`list-max-listpack-size`) of elements. Key decisions: an element is stored as
//! `varint(len) bytes reversed-varint(len)`, so a node can be walked from either end (the backward
//! length is Redis listpack's `backlen` idea); pushes and pops touch only the end node (a head push
//! shifts at most one node's bytes, as Redis's listpack insert does); indexing walks node counts from
//! the nearer end, then entries inside one node. A small list is one node: one allocation for all its
//! elements instead of one per element. Every operation the commands need lives here so the
//! representation stays private. Redis 7.0 stores every list as a quicklist (its listpack list encoding
//! arrived in 7.2), so `OBJECT ENCODING` always reports `quicklist`.

use std::collections::VecDeque;

/// Which end of a list an operation works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The head (index 0, "left").
    Head,
    /// The tail (index len-1, "right").
    Tail,
}

/// Bytes a node grows to before pushes start a new one (Redis's default `list-max-listpack-size -2`
/// is 8 KB; a quarter of it keeps the memmove of a head push short, measured on LPUSH, while the
/// per-node cost stays near 2%).
const NODE_BYTES: usize = 2048;

/// Redis's `SIZE_SAFETY_LIMIT`: most bytes of a node limited by element count.
const SAFETY_BYTES: usize = 8192;

/// How far a node may grow before pushes start a new one, from `list-max-listpack-size` as Redis reads
/// it (clamped to -5..=32767): a positive value is the most elements a node holds (and at most
/// [`SAFETY_BYTES`], as Redis); a negative one a byte limit, Redis's 4/8/16/32/64 KB for -1..-5 scaled
/// to a quarter, 1..16 KB (a head push moves the whole node, and our elements take fewer bytes than
/// Redis's; the default -2 is the [`NODE_BYTES`] measured best on LPUSH).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeLimit {
    bytes: usize,
    entries: usize,
}

impl NodeLimit {
    /// The default, `list-max-listpack-size -2`.
    pub const DEFAULT: NodeLimit = NodeLimit {
        bytes: NODE_BYTES,
        entries: usize::MAX,
    };

    /// The limit for a `list-max-listpack-size` value.
    #[inline]
    pub fn from_fill(fill: i64) -> NodeLimit {
        if fill == -2 {
            return NodeLimit::DEFAULT;
        }
        match fill.clamp(-5, 32767) {
            f if f < 0 => NodeLimit {
                bytes: (NODE_BYTES / 2) << (-f - 1),
                entries: usize::MAX,
            },
            f => NodeLimit {
                bytes: SAFETY_BYTES,
                entries: (f as usize).max(1),
            },
        }
    }

    /// True when a node of `bytes` bytes takes no `extra` element bytes more, or (read only for a
    /// count limit) when its `count()` elements are the most it may hold.
    #[inline]
    fn full(self, bytes: usize, count: impl FnOnce() -> usize, extra: usize) -> bool {
        bytes + extra > self.bytes || (self.entries != usize::MAX && count() >= self.entries)
    }
}

/// A list value.
#[derive(Debug, Clone, Default)]
pub struct List {
    nodes: VecDeque<Node>,
    len: usize,
}

/// Bytes of a node's header: its element count (u32, little-endian).
const HDR: usize = 4;

/// One packed node: the element count, then the elements encoded back to back, in one buffer (the
/// count lives in the buffer so the node is just a `Vec`: 24 bytes in the list's node table).
#[derive(Debug, Clone)]
struct Node {
    buf: Vec<u8>,
}

impl Default for Node {
    fn default() -> Node {
        Node { buf: vec![0; HDR] }
    }
}

/// Bytes of the varint encoding of `n`.
fn varint_len(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

/// Bytes one element of `n` bytes takes in a node.
fn encoded_len(n: usize) -> usize {
    2 * varint_len(n) + n
}

/// Writes the encoding of `item` (forward length, bytes, backward length) into `out`, which is
/// exactly [`encoded_len`] bytes long.
fn encode(out: &mut [u8], item: &[u8]) {
    let header = varint_len(item.len());
    let mut n = item.len();
    for i in 0..header {
        let b = if i + 1 < header {
            (n as u8 & 0x7f) | 0x80
        } else {
            n as u8
        };
        out[i] = b;
        out[2 * header + item.len() - 1 - i] = b;
        n >>= 7;
    }
    out[header..header + item.len()].copy_from_slice(item);
}

/// The element of `buf` starting at byte `pos`: its data range and the position after it.
#[inline]
fn read_fwd(buf: &[u8], pos: usize) -> (std::ops::Range<usize>, usize) {
    let (n, i) = super::pack::read_varint(buf, pos);
    let header = i - pos;
    (i..i + n, i + n + header)
}

/// The element of `buf` ending at byte `end`: its data range and the position where it starts.
#[inline]
fn read_back(buf: &[u8], end: usize) -> (std::ops::Range<usize>, usize) {
    let b = buf[end - 1];
    if b < 0x80 {
        let (stop, n) = (end - 1, b as usize);
        return (stop - n..stop, stop - n - 1);
    }
    let (mut n, mut shift, mut i) = (0usize, 0, end);
    loop {
        i -= 1;
        let b = buf[i];
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let header = end - i;
    (i - n..i, i - n - header)
}

impl Node {
    /// Number of elements.
    #[inline]
    fn count(&self) -> usize {
        let h: [u8; HDR] = self.buf[..HDR].try_into().expect("a node header");
        u32::from_le_bytes(h) as usize
    }

    #[inline]
    fn set_count(&mut self, n: usize) {
        self.buf[..HDR].copy_from_slice(&(n as u32).to_le_bytes());
    }

    /// True when the node holds no element.
    #[inline]
    fn is_empty(&self) -> bool {
        self.buf.len() == HDR
    }

    /// Bytes of the elements (the header excluded).
    #[inline]
    fn bytes(&self) -> usize {
        self.buf.len() - HDR
    }

    /// The element starting at byte `pos`: its data range and the position after it.
    fn read_fwd(&self, pos: usize) -> (std::ops::Range<usize>, usize) {
        read_fwd(&self.buf, pos)
    }

    /// The element ending at byte `end`: its data range and the position where it starts.
    fn read_back(&self, end: usize) -> (std::ops::Range<usize>, usize) {
        read_back(&self.buf, end)
    }

    /// Byte offset where element `k` (0-based, `k <= count`) starts, walking from the nearer end.
    fn offset_of(&self, k: usize) -> usize {
        let count = self.count();
        if k <= count / 2 {
            (0..k).fold(HDR, |pos, _| self.read_fwd(pos).1)
        } else {
            (k..count).fold(self.buf.len(), |end, _| self.read_back(end).1)
        }
    }

    /// The bytes of the element at `range`.
    fn data(&self, range: std::ops::Range<usize>) -> &[u8] {
        &self.buf[range]
    }

    /// Inserts `item` as a new element at byte offset `pos` (an element boundary); the buffer grows by
    /// doubling but not past `cap` bytes while the node fits in them.
    fn insert_at(&mut self, pos: usize, item: &[u8], cap: usize) {
        let n = encoded_len(item.len());
        let old = self.buf.len();
        if old + n > self.buf.capacity() {
            let grown = (2 * self.buf.capacity()).max(old + n);
            let cap = if old + n <= cap {
                grown.min(cap)
            } else {
                grown
            };
            self.buf.reserve_exact(cap - old);
        }
        self.buf.resize(old + n, 0);
        self.buf.copy_within(pos..old, pos + n);
        encode(&mut self.buf[pos..pos + n], item);
        self.set_count(self.count() + 1);
    }

    /// Removes the elements in byte range `range` (element boundaries), `n` of them.
    fn remove_bytes(&mut self, range: std::ops::Range<usize>, n: usize) {
        if range.end == self.buf.len() {
            self.buf.truncate(range.start);
        } else {
            self.buf.drain(range);
        }
        self.set_count(self.count() - n);
    }
}

/// Iterates over the elements of a list from a position, forwards or backwards.
struct Iter<'a> {
    list: &'a List,
    node: usize,
    /// The buffer of node `node`.
    buf: &'a [u8],
    /// Forwards: offset of the next element; backwards: offset just past it.
    pos: usize,
    left: usize,
    fwd: bool,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        if self.fwd {
            while self.pos >= self.buf.len() {
                self.node += 1;
                self.buf = &self.list.nodes[self.node].buf;
                self.pos = HDR;
            }
            let (range, next) = read_fwd(self.buf, self.pos);
            self.pos = next;
            Some(&self.buf[range])
        } else {
            while self.pos == HDR {
                self.node -= 1;
                self.buf = &self.list.nodes[self.node].buf;
                self.pos = self.buf.len();
            }
            let (range, start) = read_back(self.buf, self.pos);
            self.pos = start;
            Some(&self.buf[range])
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }

    /// Forwards, walks each node's buffer in a tight loop (LRANGE's path).
    fn fold<B, F: FnMut(B, &'a [u8]) -> B>(mut self, init: B, mut f: F) -> B {
        let mut acc = init;
        if !self.fwd {
            for e in self.by_ref() {
                acc = f(acc, e);
            }
            return acc;
        }
        loop {
            let (buf, mut pos) = (self.buf, self.pos);
            while self.left > 0 && pos < buf.len() {
                let (range, next) = read_fwd(buf, pos);
                acc = f(acc, &buf[range]);
                pos = next;
                self.left -= 1;
            }
            if self.left == 0 {
                return acc;
            }
            self.node += 1;
            self.buf = &self.list.nodes[self.node].buf;
            self.pos = HDR;
        }
    }
}

impl List {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the list has no element (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Heap bytes held by the list (node buffers and the node table), for `MEMORY USAGE`.
    pub fn heap_size(&self) -> usize {
        use super::heap_chunk;
        let nodes: usize = self
            .nodes
            .iter()
            .map(|n| heap_chunk(n.buf.capacity()))
            .sum();
        nodes + heap_chunk(self.nodes.capacity() * std::mem::size_of::<Node>())
    }

    /// The node at `end`, after making sure it has room for `extra` more bytes (a new node is started
    /// when the end node is full).
    fn end_node(&mut self, end: End, extra: usize, limit: NodeLimit) -> &mut Node {
        let full = match end {
            End::Head => self.nodes.front(),
            End::Tail => self.nodes.back(),
        }
        .is_none_or(|n| !n.is_empty() && limit.full(n.buf.len(), || n.count(), extra));
        if full {
            if self.nodes.len() == self.nodes.capacity() && self.nodes.len() < 4 {
                self.nodes.reserve_exact(1);
            }
            match end {
                End::Head => self.nodes.push_front(Node::default()),
                End::Tail => self.nodes.push_back(Node::default()),
            }
        }
        self.outer_node(end).expect("a node at the end")
    }

    /// The node at `end` (`None` when the list has no node).
    fn outer_node(&mut self, end: End) -> Option<&mut Node> {
        match end {
            End::Head => self.nodes.front_mut(),
            End::Tail => self.nodes.back_mut(),
        }
    }

    /// Adds `item` at `end`.
    pub fn push(&mut self, end: End, item: &[u8], limit: NodeLimit) {
        let node = self.end_node(end, encoded_len(item.len()), limit);
        match end {
            End::Head => node.insert_at(HDR, item, limit.bytes),
            End::Tail => node.insert_at(node.buf.len(), item, limit.bytes),
        }
        self.len += 1;
    }

    /// Adds every item of `items` at `end`, one after the other (LPUSH a b c leaves c at the head);
    /// the tail node's buffer grows once to the exact size when the items fit in it.
    pub fn push_all<T: AsRef<[u8]>>(&mut self, end: End, items: &[T], limit: NodeLimit) {
        if end == End::Tail {
            let total: usize = items.iter().map(|i| encoded_len(i.as_ref().len())).sum();
            let node = self.end_node(end, total, limit);
            let count = node.count() + items.len().saturating_sub(1);
            if !limit.full(node.buf.len(), || count, total) {
                node.buf.reserve_exact(total);
            }
        }
        for item in items {
            self.push(end, item.as_ref(), limit);
        }
    }

    /// Drops the node at `end` when it became empty.
    fn drop_empty_end(&mut self, end: End) {
        let empty = match end {
            End::Head => self.nodes.front(),
            End::Tail => self.nodes.back(),
        }
        .is_some_and(Node::is_empty);
        if empty {
            match end {
                End::Head => self.nodes.pop_front(),
                End::Tail => self.nodes.pop_back(),
            };
        }
    }

    /// Removes and returns the element at `end`.
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        let mut item = None;
        self.pop_many(end, 1, |e| item = Some(e.to_vec()));
        item
    }

    /// Removes up to `n` elements from `end`, calling `f` on each in pop order.
    pub fn pop_many(&mut self, end: End, n: usize, mut f: impl FnMut(&[u8])) {
        let mut n = n.min(self.len);
        while n > 0 {
            let node = self.outer_node(end).expect("elements left");
            let k = n.min(node.count());
            match end {
                End::Head => {
                    let mut pos = HDR;
                    for _ in 0..k {
                        let (range, next) = node.read_fwd(pos);
                        f(node.data(range));
                        pos = next;
                    }
                    node.remove_bytes(HDR..pos, k);
                }
                End::Tail => {
                    let mut pos = node.buf.len();
                    for _ in 0..k {
                        let (range, start) = node.read_back(pos);
                        f(node.data(range));
                        pos = start;
                    }
                    let len = node.buf.len();
                    node.remove_bytes(pos..len, k);
                }
            }
            n -= k;
            self.len -= k;
            self.drop_empty_end(end);
        }
    }

    /// The node holding element `index` (< len) and the element's position inside it, found by
    /// walking node counts from the nearer end.
    fn locate(&self, index: usize) -> (usize, usize) {
        if index < self.len / 2 {
            let mut i = index;
            for (n, node) in self.nodes.iter().enumerate() {
                if i < node.count() {
                    return (n, i);
                }
                i -= node.count();
            }
        } else {
            let mut from_end = self.len - index;
            for (n, node) in self.nodes.iter().enumerate().rev() {
                if from_end <= node.count() {
                    return (n, node.count() - from_end);
                }
                from_end -= node.count();
            }
        }
        unreachable!("index below len")
    }

    /// An iterator over `count` elements starting at `index`, forwards or (from `index` down) backwards.
    fn iter_at(&self, index: usize, count: usize, fwd: bool) -> Iter<'_> {
        let (node, k) = self.locate(index);
        let start = self.nodes[node].offset_of(k);
        let pos = if fwd {
            start
        } else {
            self.nodes[node].read_fwd(start).1
        };
        Iter {
            list: self,
            node,
            buf: &self.nodes[node].buf,
            pos,
            left: count,
            fwd,
        }
    }

    /// The element at `index` (0-based from the head).
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        if index >= self.len {
            return None;
        }
        self.iter_at(index, 1, true).next()
    }

    /// Replaces the element at `index`; false when out of range.
    pub fn set(&mut self, index: usize, item: &[u8], limit: NodeLimit) -> bool {
        if index >= self.len {
            return false;
        }
        let (n, k) = self.locate(index);
        let node = &mut self.nodes[n];
        let start = node.offset_of(k);
        let end = node.read_fwd(start).1;
        node.remove_bytes(start..end, 1);
        node.insert_at(start, item, limit.bytes);
        self.split_if_big(n, limit);
        true
    }

    /// The elements from `start` to `end` inclusive (both must be in range).
    pub fn range(&self, start: usize, end: usize) -> impl Iterator<Item = &[u8]> {
        self.iter_at(start, end + 1 - start, true)
    }

    /// Elements walked from `from`, each with its index counted from the head.
    pub fn iter_from(&self, from: End) -> Box<dyn Iterator<Item = (usize, &[u8])> + '_> {
        if self.len == 0 {
            return Box::new(std::iter::empty());
        }
        match from {
            End::Head => Box::new(self.iter_at(0, self.len, true).enumerate()),
            End::Tail => {
                let last = self.len - 1;
                let it = self.iter_at(last, self.len, false);
                Box::new(it.enumerate().map(move |(i, e)| (last - i, e)))
            }
        }
    }

    /// Keeps only the elements from `start` to `end` inclusive (both in range, `start <= end`).
    pub fn keep_range(&mut self, start: usize, end: usize) {
        let tail_drop = self.len - 1 - end;
        self.drop_from(End::Tail, tail_drop);
        self.drop_from(End::Head, start);
    }

    /// Removes `n` elements from `end` without reading them: whole nodes, then part of one.
    fn drop_from(&mut self, end: End, mut n: usize) {
        while n > 0 {
            let node = self.outer_node(end).expect("elements left");
            let k = n.min(node.count());
            let range = match end {
                End::Head => HDR..node.offset_of(k),
                End::Tail => node.offset_of(node.count() - k)..node.buf.len(),
            };
            node.remove_bytes(range, k);
            n -= k;
            self.len -= k;
            self.drop_empty_end(end);
        }
    }

    /// Removes every element.
    pub fn clear(&mut self) {
        self.nodes.clear();
        self.len = 0;
    }

    /// Splits node `n` in two when an insert or replacement grew it to twice its limit.
    fn split_if_big(&mut self, n: usize, limit: NodeLimit) {
        let node = &mut self.nodes[n];
        let count = node.count();
        let over = node.bytes() > 2 * limit.bytes || count > limit.entries.saturating_mul(2);
        if !over || count < 2 {
            return;
        }
        let keep = count / 2;
        let at = node.offset_of(keep);
        let mut rest = Node::default();
        rest.buf.extend_from_slice(&node.buf[at..]);
        rest.set_count(count - keep);
        node.buf.truncate(at);
        node.set_count(keep);
        node.buf.shrink_to_fit();
        self.nodes.insert(n + 1, rest);
    }

    /// Inserts `item` before or after the first element equal to `pivot`; false when there is none.
    pub fn insert_by_pivot(
        &mut self,
        pivot: &[u8],
        item: &[u8],
        after: bool,
        limit: NodeLimit,
    ) -> bool {
        for n in 0..self.nodes.len() {
            let node = &mut self.nodes[n];
            let mut pos = HDR;
            while pos < node.buf.len() {
                let (range, next) = node.read_fwd(pos);
                if node.data(range) == pivot {
                    node.insert_at(if after { next } else { pos }, item, limit.bytes);
                    self.len += 1;
                    self.split_if_big(n, limit);
                    return true;
                }
                pos = next;
            }
        }
        false
    }

    /// Removes up to `limit` elements equal to `item` (all when `limit` is 0), walking from `from`;
    /// returns how many were removed.
    pub fn remove_matching(&mut self, item: &[u8], limit: u64, from: End) -> usize {
        let limit = if limit == 0 { u64::MAX } else { limit };
        let mut removed = 0usize;
        let order: Vec<usize> = match from {
            End::Head => (0..self.nodes.len()).collect(),
            End::Tail => (0..self.nodes.len()).rev().collect(),
        };
        for n in order {
            if removed as u64 == limit {
                break;
            }
            let budget = limit - removed as u64;
            removed += self.nodes[n].remove_matching(item, budget, from);
        }
        self.nodes.retain(|n| n.count() > 0);
        self.len -= removed;
        removed
    }
}

impl Node {
    /// Removes up to `limit` elements equal to `item`, scanning from `from`; returns the count.
    fn remove_matching(&mut self, item: &[u8], limit: u64, from: End) -> usize {
        let mut spans = Vec::new();
        match from {
            End::Head => {
                let mut pos = HDR;
                while pos < self.buf.len() && (spans.len() as u64) < limit {
                    let (range, next) = self.read_fwd(pos);
                    if self.data(range) == item {
                        spans.push(pos..next);
                    }
                    pos = next;
                }
            }
            End::Tail => {
                let mut end = self.buf.len();
                while end > HDR && (spans.len() as u64) < limit {
                    let (range, start) = self.read_back(end);
                    if self.data(range) == item {
                        spans.push(start..end);
                    }
                    end = start;
                }
                spans.reverse();
            }
        }
        for span in spans.iter().rev() {
            self.remove_bytes(span.clone(), 1);
        }
        spans.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: NodeLimit = NodeLimit::DEFAULT;

    fn list(items: &[&str]) -> List {
        let mut l = List::default();
        for i in items {
            l.push(End::Tail, i.as_bytes(), LIMIT);
        }
        l
    }

    fn items(l: &List) -> Vec<String> {
        l.iter_from(End::Head)
            .map(|(_, e)| String::from_utf8_lossy(e).into_owned())
            .collect()
    }

    /// A list of `n` elements `e0..` spread over several nodes (each element 100 bytes).
    fn big(n: usize) -> (List, Vec<Vec<u8>>) {
        let model: Vec<Vec<u8>> = (0..n)
            .map(|i| {
                let mut v = format!("e{i}-").into_bytes();
                v.resize(100, b'.');
                v
            })
            .collect();
        let mut l = List::default();
        l.push_all(End::Tail, &model, LIMIT);
        (l, model)
    }

    fn check(l: &List, model: &[Vec<u8>]) {
        assert_eq!(l.len(), model.len());
        let fwd: Vec<Vec<u8>> = l.iter_from(End::Head).map(|(_, e)| e.to_vec()).collect();
        assert_eq!(fwd, model);
        let back: Vec<(usize, Vec<u8>)> = l
            .iter_from(End::Tail)
            .map(|(i, e)| (i, e.to_vec()))
            .collect();
        for (i, e) in back {
            assert_eq!(model[i], e);
        }
        for (i, m) in model.iter().enumerate() {
            assert_eq!(l.get(i), Some(&m[..]));
        }
        assert_eq!(l.get(model.len()), None);
        assert_eq!(l.nodes.iter().map(Node::count).sum::<usize>(), l.len());
        assert!(l.nodes.iter().all(|n| n.count() > 0));
    }

    #[test]
    fn remove_from_either_end() {
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", 2, End::Tail), 2);
        assert_eq!(items(&l), ["a", "b", "c"]);
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", 2, End::Head), 2);
        assert_eq!(items(&l), ["b", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", 0, End::Head), 1);
        assert_eq!(l.remove_matching(b"z", 0, End::Head), 0);
        assert_eq!(items(&l), ["b", "c"]);
    }

    #[test]
    fn pops_trims_and_inserts() {
        let mut l = list(&["a", "b", "c", "d"]);
        let mut got = Vec::new();
        l.pop_many(End::Tail, 2, |e| got.push(e.to_vec()));
        assert_eq!(got, [b"d".to_vec(), b"c".to_vec()]);
        assert!(l.insert_by_pivot(b"a", b"x", true, LIMIT));
        assert!(!l.insert_by_pivot(b"q", b"x", true, LIMIT));
        assert_eq!(items(&l), ["a", "x", "b"]);
        l.keep_range(1, 1);
        assert_eq!(items(&l), ["x"]);
    }

    #[test]
    fn empty_binary_and_long_elements() {
        let long = vec![0xffu8; 300];
        let mut l = List::default();
        l.push(End::Tail, b"", LIMIT);
        l.push(End::Head, &[0, 13, 10, 0x80], LIMIT);
        l.push(End::Tail, &long, LIMIT);
        l.push(End::Head, &vec![7u8; NODE_BYTES * 3], LIMIT);
        let model = vec![
            vec![7u8; NODE_BYTES * 3],
            vec![0, 13, 10, 0x80],
            vec![],
            long,
        ];
        check(&l, &model);
        assert_eq!(l.pop(End::Tail).as_deref(), Some(&model[3][..]));
        assert_eq!(l.pop(End::Head).as_deref(), Some(&model[0][..]));
        assert_eq!(l.pop(End::Tail).as_deref(), Some(&b""[..]));
        assert_eq!(l.pop(End::Tail).as_deref(), Some(&model[1][..]));
        assert_eq!(l.pop(End::Tail), None);
        assert!(l.is_empty() && l.nodes.is_empty());
    }

    #[test]
    fn many_nodes_push_pop_both_ends() {
        let mut l = List::default();
        let mut model = VecDeque::new();
        for i in 0..2000 {
            let item = format!("item-{i}-{}", "x".repeat(i % 50)).into_bytes();
            if i % 3 == 0 {
                l.push(End::Head, &item, LIMIT);
                model.push_front(item);
            } else {
                l.push(End::Tail, &item, LIMIT);
                model.push_back(item);
            }
        }
        assert!(l.nodes.len() > 5);
        check(&l, &model.iter().cloned().collect::<Vec<_>>());
        let mut got = Vec::new();
        l.pop_many(End::Head, 700, |e| got.push(e.to_vec()));
        let want: Vec<_> = model.drain(..700).collect();
        assert_eq!(got, want);
        got.clear();
        l.pop_many(End::Tail, 650, |e| got.push(e.to_vec()));
        let want: Vec<_> = (0..650).map(|_| model.pop_back().unwrap()).collect();
        assert_eq!(got, want);
        let model: Vec<_> = model.into_iter().collect();
        check(&l, &model);
        let r: Vec<_> = l.range(100, 400).map(<[u8]>::to_vec).collect();
        assert_eq!(r, model[100..=400]);
    }

    #[test]
    fn set_insert_remove_trim_across_nodes() {
        let (mut l, mut model) = big(300);
        assert!(l.nodes.len() > 3);
        for i in [0, 40, 41, 150, 299] {
            let v = vec![b'#'; 1 + i * 7 % 200];
            assert!(l.set(i, &v, LIMIT));
            model[i] = v;
        }
        assert!(!l.set(300, b"x", LIMIT));
        check(&l, &model);
        for (pivot, after) in [(0, false), (120, true), (299, true)] {
            let p = model[pivot].clone();
            assert!(l.insert_by_pivot(&p, b"ins", after, LIMIT));
            model.insert(pivot + usize::from(after), b"ins".to_vec());
        }
        check(&l, &model);
        let big_item = vec![b'B'; 3 * NODE_BYTES];
        let p = model[150].clone();
        assert!(l.insert_by_pivot(&p, &big_item, false, LIMIT));
        model.insert(150, big_item);
        check(&l, &model);
        assert_eq!(l.remove_matching(b"ins", 2, End::Tail), 2);
        let last = model.iter().rposition(|e| e == b"ins").unwrap();
        model.remove(last);
        let last = model.iter().rposition(|e| e == b"ins").unwrap();
        model.remove(last);
        check(&l, &model);
        l.keep_range(37, 250);
        let model = model[37..=250].to_vec();
        check(&l, &model);
        l.keep_range(0, 0);
        check(&l, &model[..1]);
    }

    #[test]
    fn node_limit_follows_list_max_listpack_size() {
        assert_eq!(NodeLimit::from_fill(-2), NodeLimit::DEFAULT);
        assert_eq!(NodeLimit::from_fill(-1).bytes, 1024);
        assert_eq!(NodeLimit::from_fill(-5).bytes, 16384);
        assert_eq!(NodeLimit::from_fill(i64::MIN), NodeLimit::from_fill(-5));
        assert_eq!(NodeLimit::from_fill(0).entries, 1);
        assert_eq!(NodeLimit::from_fill(i64::MAX).entries, 32767);
        let three = NodeLimit::from_fill(3);
        let mut l = List::default();
        let mut model = VecDeque::new();
        for i in 0..20 {
            let item = format!("e{i}").into_bytes();
            if i % 2 == 0 {
                l.push(End::Head, &item, three);
                model.push_front(item);
            } else {
                l.push_all(End::Tail, &[&item], three);
                model.push_back(item);
            }
        }
        assert!(l.nodes.iter().all(|n| n.count() <= 3));
        let mut model: Vec<_> = model.into_iter().collect();
        check(&l, &model);
        for i in 0..8 {
            assert!(l.insert_by_pivot(b"e0", b"x", true, three));
            model.insert(
                model.iter().position(|e| e == b"e0").unwrap() + 1,
                b"x".to_vec(),
            );
            assert!(l.set(i, b"y", three));
            model[i] = b"y".to_vec();
        }
        assert!(l.nodes.iter().all(|n| n.count() <= 6));
        check(&l, &model);
        let mut one = List::default();
        one.push_all(End::Tail, &[b"a", b"b", b"c"], NodeLimit::from_fill(0));
        assert_eq!(one.nodes.len(), 3);
    }

    #[test]
    fn remove_all_matches_spanning_nodes() {
        let mut l = List::default();
        let mut model = Vec::new();
        for i in 0..3000 {
            let item: &[u8] = if i % 2 == 0 { b"dup" } else { b"keep-element" };
            l.push(End::Tail, item, LIMIT);
            model.push(item.to_vec());
        }
        assert_eq!(l.remove_matching(b"dup", 0, End::Head), 1500);
        model.retain(|e| e != b"dup");
        check(&l, &model);
        assert_eq!(l.remove_matching(b"keep-element", 0, End::Tail), 1500);
        assert!(l.is_empty() && l.nodes.is_empty());
    }
}
