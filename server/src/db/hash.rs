//! Hash values. Placeholder representation (a map of field → value); the hash family replaces it with
//! Redis's compact encodings (listpack / hashtable).

use std::collections::HashMap;

/// A hash value.
#[derive(Debug, Clone, Default)]
pub struct Hash {
    /// Field → value.
    pub fields: HashMap<Vec<u8>, Vec<u8>>,
}

impl Hash {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the hash has no field (the key is then deleted).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Redis's `OBJECT ENCODING` name for the current representation.
    pub fn encoding(&self) -> &'static str {
        "hashtable"
    }
}
