//! Set values. Placeholder representation (a hash set); the set family replaces it with Redis's
//! compact encodings (intset / listpack / hashtable).

use std::collections::HashSet;

/// A set value.
#[derive(Debug, Clone, Default)]
pub struct Set {
    /// The members.
    pub members: HashSet<Vec<u8>>,
}

impl Set {
    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when the set has no member (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        "hashtable"
    }
}
