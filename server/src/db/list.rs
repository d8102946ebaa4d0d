//! List values: a ring-buffer deque of boxed byte strings. Key decisions: `VecDeque<Box<[u8]>>` gives
//! O(1) push/pop at both ends and O(1) indexing (LINDEX/LSET/LRANGE start anywhere without walking
//! nodes), while each element costs one exact-size allocation plus 16 bytes of slot; every operation
//! the commands need lives here so the representation can change without touching them. Redis 7.0
//! stores every list as a quicklist (its listpack list encoding arrived in 7.2), so `OBJECT ENCODING`
//! always reports `quicklist`.

use std::collections::VecDeque;

/// Which end of a list an operation works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The head (index 0, "left").
    Head,
    /// The tail (index len-1, "right").
    Tail,
}

/// A list value.
#[derive(Debug, Clone, Default)]
pub struct List {
    items: VecDeque<Box<[u8]>>,
}

impl List {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the list has no element (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Adds `item` at `end`.
    pub fn push(&mut self, end: End, item: &[u8]) {
        self.push_owned(end, item.into());
    }

    /// Adds an already boxed `item` at `end` (moves between lists without copying).
    pub fn push_owned(&mut self, end: End, item: Box<[u8]>) {
        match end {
            End::Head => self.items.push_front(item),
            End::Tail => self.items.push_back(item),
        }
    }

    /// Removes and returns the element at `end`.
    pub fn pop(&mut self, end: End) -> Option<Box<[u8]>> {
        match end {
            End::Head => self.items.pop_front(),
            End::Tail => self.items.pop_back(),
        }
    }

    /// Removes up to `n` elements from `end`, calling `f` on each in pop order.
    pub fn pop_many(&mut self, end: End, n: usize, mut f: impl FnMut(&[u8])) {
        let n = n.min(self.items.len());
        match end {
            End::Head => self.items.drain(..n).for_each(|e| f(&e)),
            End::Tail => {
                let from = self.items.len() - n;
                self.items.drain(from..).rev().for_each(|e| f(&e));
            }
        }
    }

    /// The element at `index` (0-based from the head).
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        self.items.get(index).map(|e| &**e)
    }

    /// Replaces the element at `index`; false when out of range.
    pub fn set(&mut self, index: usize, item: &[u8]) -> bool {
        match self.items.get_mut(index) {
            Some(slot) => {
                *slot = item.into();
                true
            }
            None => false,
        }
    }

    /// The elements from `start` to `end` inclusive (both must be in range).
    pub fn range(&self, start: usize, end: usize) -> impl Iterator<Item = &[u8]> {
        self.items.range(start..=end).map(|e| &**e)
    }

    /// Elements walked from `from`, each with its index counted from the head.
    pub fn iter_from(&self, from: End) -> Box<dyn Iterator<Item = (usize, &[u8])> + '_> {
        let it = self.items.iter().enumerate().map(|(i, e)| (i, &**e));
        match from {
            End::Head => Box::new(it),
            End::Tail => Box::new(it.rev()),
        }
    }

    /// Keeps only the elements from `start` to `end` inclusive (both in range, `start <= end`).
    pub fn keep_range(&mut self, start: usize, end: usize) {
        self.items.truncate(end + 1);
        self.items.drain(..start);
    }

    /// Removes every element.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Inserts `item` before or after the first element equal to `pivot`; false when there is none.
    pub fn insert_by_pivot(&mut self, pivot: &[u8], item: &[u8], after: bool) -> bool {
        match self.items.iter().position(|e| **e == *pivot) {
            Some(i) => {
                self.items.insert(i + usize::from(after), item.into());
                true
            }
            None => false,
        }
    }

    /// Removes up to `limit` elements equal to `item` (all when `limit` is 0), walking from `from`;
    /// returns how many were removed.
    pub fn remove_matching(&mut self, item: &[u8], limit: u64, from: End) -> usize {
        let mut bound = None;
        let mut found = 0u64;
        for (i, e) in self.iter_from(from) {
            if e == item {
                found += 1;
                bound = Some(i);
                if found == limit {
                    break;
                }
            }
        }
        let Some(bound) = bound else {
            return 0;
        };
        if found == 1 {
            self.items.remove(bound);
            return 1;
        }
        let mut i = 0;
        self.items.retain(|e| {
            let in_scope = match from {
                End::Head => i <= bound,
                End::Tail => i >= bound,
            };
            i += 1;
            !(in_scope && **e == *item)
        });
        found as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> List {
        let mut l = List::default();
        for i in items {
            l.push(End::Tail, i.as_bytes());
        }
        l
    }

    fn items(l: &List) -> Vec<String> {
        l.iter_from(End::Head)
            .map(|(_, e)| String::from_utf8_lossy(e).into_owned())
            .collect()
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
        assert!(l.insert_by_pivot(b"a", b"x", true));
        assert!(!l.insert_by_pivot(b"q", b"x", true));
        assert_eq!(items(&l), ["a", "x", "b"]);
        l.keep_range(1, 1);
        assert_eq!(items(&l), ["x"]);
    }
}
