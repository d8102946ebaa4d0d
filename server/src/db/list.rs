//! List values. Placeholder representation (a deque of byte strings); the list family replaces it with
//! Redis's compact encodings (listpack / quicklist).

use std::collections::VecDeque;

/// A list value.
#[derive(Debug, Clone, Default)]
pub struct List {
    /// The elements, head first.
    pub items: VecDeque<Vec<u8>>,
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
}
