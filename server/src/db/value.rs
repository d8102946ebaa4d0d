//! The value stored under a key: one variant per Redis type. Key decision: a `Value` is 24 bytes — a
//! string is a [`Bytes`] (short ones inline, no allocation), hashes, sets and sorted sets are 16-byte
//! handles held directly (their small encodings are one exact-size buffer), a list is boxed, and the
//! enum's tag hides in the spare tag values of `Bytes` — so a keyspace slot stays 64 bytes.

use super::{Bytes, Hash, List, Set, ZSet};

/// Returned when a value is not of the type a command expects (becomes `WRONGTYPE ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrongType;

/// A value in the keyspace.
#[derive(Debug, Clone)]
pub enum Value {
    /// A string (binary safe).
    Str(Bytes),
    /// A list.
    List(Box<List>),
    /// A hash.
    Hash(Hash),
    /// A set.
    Set(Set),
    /// A sorted set.
    ZSet(ZSet),
}

macro_rules! accessors {
    ($as:ident, $as_mut:ident, $variant:ident, $ty:ty) => {
        /// The value as this type, or [`WrongType`].
        pub fn $as(&self) -> Result<&$ty, WrongType> {
            match self {
                Value::$variant(v) => Ok(v),
                _ => Err(WrongType),
            }
        }

        /// The value as this type (mutable), or [`WrongType`].
        pub fn $as_mut(&mut self) -> Result<&mut $ty, WrongType> {
            match self {
                Value::$variant(v) => Ok(v),
                _ => Err(WrongType),
            }
        }
    };
}

impl Value {
    accessors!(as_str, as_str_bytes_mut, Str, Bytes);
    accessors!(as_list, as_list_mut, List, List);
    accessors!(as_hash, as_hash_mut, Hash, Hash);
    accessors!(as_set, as_set_mut, Set, Set);
    accessors!(as_zset, as_zset_mut, ZSet, ZSet);

    /// A string value holding a copy of `s`.
    pub fn str(s: &[u8]) -> Value {
        Value::Str(Bytes::new(s))
    }

    /// The string value as a growable vector for in-place changes (APPEND, SETRANGE, SETBIT...), or
    /// [`WrongType`].
    pub fn as_str_mut(&mut self) -> Result<&mut Vec<u8>, WrongType> {
        Ok(self.as_str_bytes_mut()?.make_mut())
    }

    /// `MEMORY USAGE` of the value: bytes of its allocations (allocator chunks included), sampling up
    /// to `samples` elements of a large collection.
    pub fn memory_usage(&self, samples: usize) -> usize {
        use super::heap_chunk;
        use std::mem::size_of;
        match self {
            Value::Str(s) => heap_chunk(s.heap_size()),
            Value::List(l) => heap_chunk(size_of::<List>()) + l.heap_size(),
            Value::Hash(h) => h.heap_size(samples),
            Value::Set(s) => s.heap_size(samples),
            Value::ZSet(z) => z.heap_size(samples),
        }
    }

    /// The name `TYPE` reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
        }
    }

    /// True for a collection with no element left (such keys are deleted).
    pub fn is_empty_collection(&self) -> bool {
        match self {
            Value::Str(_) => false,
            Value::List(v) => v.is_empty(),
            Value::Hash(v) => v.is_empty(),
            Value::Set(v) => v.is_empty(),
            Value::ZSet(v) => v.is_empty(),
        }
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) if s.is_growable() => "raw",
            Value::Str(s) if s.is_embstr() => "embstr",
            Value::Str(s) => string_encoding(s),
            Value::List(v) => v.encoding(),
            Value::Hash(v) => v.encoding(),
            Value::Set(v) => v.encoding(),
            Value::ZSet(v) => v.encoding(),
        }
    }
}

/// Redis's encoding for a string value: `int` when it reads back as a 64-bit integer, `embstr` up to 44
/// bytes, `raw` beyond.
pub fn string_encoding(s: &[u8]) -> &'static str {
    if s.len() <= 20 && crate::resp::parser::parse_i64(s).is_some() {
        "int"
    } else if s.len() <= 44 {
        "embstr"
    } else {
        "raw"
    }
}
