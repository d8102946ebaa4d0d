//! Sorted set values. Placeholder representation (member → score map); the sorted set family replaces it
//! with Redis's compact encodings (listpack / skiplist).

use std::collections::HashMap;

/// A sorted set value.
#[derive(Debug, Clone, Default)]
pub struct ZSet {
    /// Member → score.
    pub scores: HashMap<Vec<u8>, f64>,
}

impl ZSet {
    /// Number of members.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// True when the sorted set has no member (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        "skiplist"
    }
}
