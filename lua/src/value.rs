//! The Lua value: a 16-byte `Copy` enum of the eight Lua 5.1 types (functions split into Lua closures
//! and native functions so no variant nests another enum).

use gc_arena::{Collect, Gc};

use crate::function::{LuaClosure, NativeClosure};
use crate::string::LuaString;
use crate::table::Table;
use crate::thread::Thread;
use crate::userdata::UserData;

/// A Lua value.
///
/// The layout is fixed (`repr(C, u8)`: a one-byte tag, then the payload at offset 8) so that
/// [`Value::store_number`] and friends can write a whole value with one 16-byte store. Copies of
/// values are 16-byte loads; a load that spans two smaller stores (tag byte + payload, which is how
/// the compiler writes a freshly built value) cannot be forwarded from the store buffer and stalls
/// until those stores reach the cache (behind any store that missed it): 4x slower strided writes.
#[derive(Clone, Copy, Collect, Default)]
#[collect(no_drop)]
#[repr(C, u8)]
pub enum Value<'gc> {
    /// `nil`
    #[default]
    Nil,
    /// `true` / `false`
    Boolean(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(LuaString<'gc>),
    /// A table.
    Table(Table<'gc>),
    /// A function written in Lua.
    LuaFunction(Gc<'gc, LuaClosure<'gc>>),
    /// A function written in Rust.
    NativeFunction(Gc<'gc, NativeClosure<'gc>>),
    /// A full userdata.
    UserData(UserData<'gc>),
    /// A coroutine.
    Thread(Thread<'gc>),
}

impl std::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Boolean(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "{s:?}"),
            other => write!(
                f,
                "{}: {:p}",
                other.type_name(),
                other.as_ptr().unwrap_or(std::ptr::null())
            ),
        }
    }
}

/// Lua's type names, as `type()` returns them, indexed by [`Value::type_tag`].
pub const TYPE_NAMES: [&str; 8] = [
    "nil", "boolean", "number", "string", "table", "function", "userdata", "thread",
];

/// Tag byte of [`Value::Nil`] (declaration order under `repr(C, u8)`).
const TAG_NIL: u64 = 0;
/// Tag byte of [`Value::Boolean`].
const TAG_BOOLEAN: u64 = 1;
/// Tag byte of [`Value::Number`].
const TAG_NUMBER: u64 = 2;

impl<'gc> Value<'gc> {
    /// Writes `Value::Number(n)` into `slot` with one 16-byte store (see the type's notes).
    #[inline(always)]
    pub fn store_number(slot: &mut Value<'gc>, n: f64) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Value` is `repr(C, u8)`: byte 0 is the tag (TAG_NUMBER selects `Number`),
        // bytes 1..8 are padding, the f64 payload is at offset 8. The 16 bytes written form a valid
        // `Number`; `slot` is a valid, exclusive reference to 16 writable bytes (unaligned store).
        unsafe {
            use std::arch::x86_64::{_mm_set_pd, _mm_storeu_pd};
            let v = _mm_set_pd(n, f64::from_bits(TAG_NUMBER));
            _mm_storeu_pd(slot as *mut Value<'gc> as *mut f64, v);
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            *slot = Value::Number(n);
        }
    }

    /// Writes `Value::Boolean(b)` into `slot` with one 16-byte store.
    #[inline(always)]
    pub fn store_boolean(slot: &mut Value<'gc>, b: bool) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as in `store_number`; the bool payload at offset 8 is 0 or 1, the bytes after it
        // are padding.
        unsafe {
            use std::arch::x86_64::{_mm_set_epi64x, _mm_storeu_si128};
            let v = _mm_set_epi64x(b as i64, TAG_BOOLEAN as i64);
            _mm_storeu_si128(slot as *mut Value<'gc> as *mut _, v);
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            *slot = Value::Boolean(b);
        }
    }

    /// Writes `Value::Nil` into `slot` with one 16-byte store.
    #[inline(always)]
    pub fn store_nil(slot: &mut Value<'gc>) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as in `store_number`; tag 0 is `Nil`, the other 15 bytes are padding.
        unsafe {
            use std::arch::x86_64::{_mm_set_epi64x, _mm_storeu_si128};
            let v = _mm_set_epi64x(0, TAG_NIL as i64);
            _mm_storeu_si128(slot as *mut Value<'gc> as *mut _, v);
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            *slot = Value::Nil;
        }
    }

    /// The type name as `type()` returns it.
    #[inline]
    pub fn type_name(self) -> &'static str {
        TYPE_NAMES[self.type_tag()]
    }

    /// A small number per Lua type (both function kinds share one).
    #[inline]
    pub fn type_tag(self) -> usize {
        match self {
            Value::Nil => 0,
            Value::Boolean(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Table(_) => 4,
            Value::LuaFunction(_) | Value::NativeFunction(_) => 5,
            Value::UserData(_) => 6,
            Value::Thread(_) => 7,
        }
    }

    /// Lua truth: everything but `nil` and `false`.
    #[inline(always)]
    pub fn is_truthy(self) -> bool {
        !matches!(self, Value::Nil | Value::Boolean(false))
    }

    /// Whether the value is `nil`.
    #[inline(always)]
    pub fn is_nil(self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Primitive equality (`rawequal`): numbers by value, everything else by identity.
    #[inline]
    pub fn raw_equal(self, other: Value<'gc>) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a == b,
            (Value::LuaFunction(a), Value::LuaFunction(b)) => Gc::ptr_eq(a, b),
            (Value::NativeFunction(a), Value::NativeFunction(b)) => Gc::ptr_eq(a, b),
            (Value::UserData(a), Value::UserData(b)) => a == b,
            (Value::Thread(a), Value::Thread(b)) => a == b,
            _ => false,
        }
    }

    /// The address of a reference value, for `tostring` and hashing; `None` for plain values.
    pub fn as_ptr(self) -> Option<*const ()> {
        match self {
            Value::String(s) => Some(s.as_ptr()),
            Value::Table(t) => Some(t.as_ptr()),
            Value::LuaFunction(f) => Some(Gc::as_ptr(f) as *const ()),
            Value::NativeFunction(f) => Some(Gc::as_ptr(f) as *const ()),
            Value::UserData(u) => Some(u.as_ptr()),
            Value::Thread(t) => Some(t.as_ptr()),
            _ => None,
        }
    }

    /// The collectable object a weak table may drop: tables, functions, userdata and threads.
    #[inline]
    pub fn as_object(self) -> Option<Gc<'gc, ()>> {
        match self {
            Value::Table(t) => Some(Gc::erase(t.0)),
            Value::LuaFunction(f) => Some(Gc::erase(f)),
            Value::NativeFunction(f) => Some(Gc::erase(f)),
            Value::UserData(u) => Some(Gc::erase(u.0)),
            Value::Thread(t) => Some(Gc::erase(t.0)),
            _ => None,
        }
    }

    /// Whether the value is a function of either kind.
    #[inline]
    pub fn is_function(self) -> bool {
        matches!(self, Value::LuaFunction(_) | Value::NativeFunction(_))
    }
}

impl<'gc> From<bool> for Value<'gc> {
    fn from(b: bool) -> Self {
        Value::Boolean(b)
    }
}

impl<'gc> From<f64> for Value<'gc> {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl<'gc> From<LuaString<'gc>> for Value<'gc> {
    fn from(s: LuaString<'gc>) -> Self {
        Value::String(s)
    }
}

impl<'gc> From<Table<'gc>> for Value<'gc> {
    fn from(t: Table<'gc>) -> Self {
        Value::Table(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_value_stores_match_the_layout() {
        let mut v = Value::Nil;
        Value::store_number(&mut v, -2.5);
        assert!(matches!(v, Value::Number(n) if n == -2.5));
        Value::store_boolean(&mut v, true);
        assert!(matches!(v, Value::Boolean(true)));
        Value::store_boolean(&mut v, false);
        assert!(matches!(v, Value::Boolean(false)));
        Value::store_nil(&mut v);
        assert!(v.is_nil());
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
    }
}
