//! Lua tables, laid out as PUC-Rio Lua 5.1's `ltable.c` lays them out.
//!
//! A table keeps its elements in an array part for keys `1..n` and a hash part for the rest. The
//! array part is sized so that more than half of its slots are used (recomputed only when the hash
//! part is full, counting integer keys). The hash part is a power-of-two vector of nodes with chained
//! scatter and Brent's variation: a key lives in its main position unless that is taken by a key
//! from another chain, which is then moved. Because the hash functions, sizes and collision rule are
//! 5.1's, `next` visits string and number keys in the same order lua5.1 does.
//!
//! Deleting a key only sets its value to nil; the dead key stays in its node so that `next` keeps
//! working during a traversal that clears fields, and is dropped at the next rehash.

use std::cell::Cell;

use gc_arena::{lock::RefLock, Collect, Gc, Mutation};

use crate::heap::HeapCharge;
use crate::string::LuaString;
use crate::value::Value;
use crate::vm::Ctx;

/// Largest array part (`MAXASIZE` with 26 bits as in 5.1).
const MAX_ARRAY_BITS: usize = 26;

/// Why a key cannot be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// The key is `nil`.
    Nil,
    /// The key is NaN.
    NaN,
    /// The table is read-only ([`Table::set_readonly`]).
    ReadOnly,
}

/// The error Lua code gets when it writes to a read-only table (Redis's wording).
pub const READONLY_MESSAGE: &str = "Attempt to modify a readonly table";

impl KeyError {
    /// The message Lua raises.
    pub fn message(self) -> &'static str {
        match self {
            KeyError::Nil => "table index is nil",
            KeyError::NaN => "table index is NaN",
            KeyError::ReadOnly => READONLY_MESSAGE,
        }
    }
}

/// `next` was given a key that is not in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidKey;

#[derive(Clone, Copy, Collect, Default)]
#[collect(no_drop)]
struct Node<'gc> {
    key: Value<'gc>,
    value: Value<'gc>,
    /// Index of the next node in the chain, or `NO_NEXT`.
    #[collect(require_static)]
    next: u32,
}

const NO_NEXT: u32 = u32::MAX;

/// [`TableData::weak`] bit: keys are weak (`__mode` contains `k`).
pub const WEAK_KEYS: u8 = 1;
/// [`TableData::weak`] bit: values are weak (`__mode` contains `v`).
pub const WEAK_VALUES: u8 = 2;

/// The contents of a table.
#[derive(Default)]
pub struct TableData<'gc> {
    array: Vec<Value<'gc>>,
    nodes: Vec<Node<'gc>>,
    last_free: usize,
    metatable: Option<Table<'gc>>,
    /// Bit `e` set: this table, used as a metatable, is known to lack metamethod event `e`.
    absent_metamethods: Cell<u32>,
    /// `WEAK_*` bits from the metatable's `__mode`, read when the metatable is set.
    weak: u8,
    /// Lua code may not write to the table (`Table::set_readonly`).
    readonly: bool,
    charge: HeapCharge,
}

// SAFETY: every pointer the table holds is reported: strongly, or weakly for the weak parts of a
// weak table (which `vm::gc::finalize` clears of dead entries before anything is freed).
unsafe impl<'gc> Collect<'gc> for TableData<'gc> {
    fn trace<T: gc_arena::collect::Trace<'gc>>(&self, cc: &mut T) {
        cc.trace(&self.metatable);
        let weak_keys = self.weak & WEAK_KEYS != 0;
        let weak_values = self.weak & WEAK_VALUES != 0;
        for v in &self.array {
            trace_value(cc, *v, weak_values);
        }
        for node in &self.nodes {
            trace_value(cc, node.key, weak_keys);
            trace_value(cc, node.value, weak_values);
        }
    }
}

/// Traces a value strongly, or weakly if `weak` and it is an object that weak tables drop (strings
/// are values in Lua, never removed from weak tables).
fn trace_value<'gc, T: gc_arena::collect::Trace<'gc>>(cc: &mut T, v: Value<'gc>, weak: bool) {
    match v.as_object() {
        Some(gc) if weak => cc.trace_gc_weak(Gc::downgrade(gc)),
        _ => cc.trace(&v),
    }
}

/// A garbage-collected Lua table.
#[derive(Clone, Copy, Collect)]
#[collect(no_drop)]
pub struct Table<'gc>(pub(crate) Gc<'gc, RefLock<TableData<'gc>>>);

impl PartialEq for Table<'_> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        Gc::ptr_eq(self.0, other.0)
    }
}

impl Eq for Table<'_> {}

impl std::fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "table: {:p}", self.as_ptr())
    }
}

impl<'gc> Table<'gc> {
    /// A new empty table.
    pub fn new(mc: &Mutation<'gc>) -> Table<'gc> {
        Table(Gc::new(mc, RefLock::new(TableData::default())))
    }

    /// A new table with room for `narray` array items and `nhash` other keys.
    pub fn with_capacity(mc: &Mutation<'gc>, narray: usize, nhash: usize) -> Table<'gc> {
        let mut data = TableData::default();
        if narray > 0 {
            data.array = vec![Value::Nil; narray];
        }
        data.set_node_vector(nhash);
        data.recharge(mc);
        Table(Gc::new(mc, RefLock::new(data)))
    }

    /// Address, for printing and pointer hashing.
    pub fn as_ptr(self) -> *const () {
        Gc::as_ptr(self.0) as *const ()
    }

    /// Borrows the contents for reading.
    #[inline]
    pub fn data(self) -> std::cell::Ref<'gc, TableData<'gc>> {
        self.0.borrow()
    }

    /// Raw get (`rawget`).
    #[inline]
    pub fn get(self, key: Value<'gc>) -> Value<'gc> {
        self.0.borrow().get(key)
    }

    /// Raw get with a string key.
    #[inline]
    pub fn get_str(self, key: LuaString<'gc>) -> Value<'gc> {
        self.0.borrow().get_str(key)
    }

    /// Raw get with an integer key.
    #[inline]
    pub fn get_int(self, key: i64) -> Value<'gc> {
        self.0.borrow().get_int(key)
    }

    /// Raw set; setting `nil` removes the key. This is the host's write and ignores the read-only
    /// flag: writes on behalf of Lua code go through [`Table::set_checked`] or test
    /// [`Table::is_readonly`] first.
    #[inline]
    pub fn set(
        self,
        mc: &Mutation<'gc>,
        key: Value<'gc>,
        value: Value<'gc>,
    ) -> Result<(), KeyError> {
        self.0.borrow_mut(mc).set(mc, key, value)
    }

    /// `rawset` on behalf of Lua code: refuses read-only tables ([`KeyError::ReadOnly`]) before
    /// looking at the key, as Redis's `lua_rawset` does.
    pub fn set_checked(
        self,
        mc: &Mutation<'gc>,
        key: Value<'gc>,
        value: Value<'gc>,
    ) -> Result<(), KeyError> {
        if self.is_readonly() {
            return Err(KeyError::ReadOnly);
        }
        self.set(mc, key, value)
    }

    /// Whether Lua code is refused writes to this table.
    #[inline]
    pub fn is_readonly(self) -> bool {
        self.0.borrow().readonly
    }

    /// Marks the table read-only (or writable again), as Redis's `lua_enablereadonlytable`: every
    /// write Lua code attempts (assignment, `rawset`, `setmetatable`, the table library's stores)
    /// then fails with [`READONLY_MESSAGE`]. Host writes through [`Table::set`] still work.
    pub fn set_readonly(self, mc: &Mutation<'gc>, readonly: bool) {
        self.0.borrow_mut(mc).readonly = readonly;
    }

    /// The VM's fast assignment: a raw set, done when no metamethod can be involved — the table
    /// is not read-only and has no metatable, or the key already holds a value (`__newindex` is
    /// only consulted for absent keys). `None` otherwise: the caller takes the metamethod path.
    /// One borrow.
    #[inline]
    pub fn set_plain(
        self,
        mc: &Mutation<'gc>,
        key: Value<'gc>,
        value: Value<'gc>,
    ) -> Option<Result<(), KeyError>> {
        let mut data = self.0.borrow_mut(mc);
        if data.readonly {
            return None;
        }
        let plain = data.metatable.is_none();
        match key {
            Value::Number(n) => {
                let idx = (n as i64 as u64).wrapping_sub(1);
                if (idx as i64 + 1) as f64 == n && idx < data.array.len() as u64 {
                    let slot = &mut data.array[idx as usize];
                    if plain || !slot.is_nil() {
                        *slot = value;
                        return Some(Ok(()));
                    }
                    return None;
                }
            }
            Value::String(s) if !plain => {
                let i = data.find_str(s)?;
                if data.nodes[i].value.is_nil() {
                    return None;
                }
                data.nodes[i].value = value;
                return Some(Ok(()));
            }
            _ => {}
        }
        if !plain {
            return None;
        }
        Some(data.set(mc, key, value))
    }

    /// The VM's raw get into a register: when the value under `key` is not nil, or the table has
    /// no metatable, copies it into `dst` and returns `None`; otherwise leaves `dst` alone and
    /// returns the metatable (where the caller looks for `__index`). The copy is a whole 16-byte
    /// move from the table's slot: a value returned through a `(Value, _)` pair was split by the
    /// optimiser into pieces stored separately, which the next instruction's 16-byte load of the
    /// register cannot forward from (see `Value`): matmul and methods stalled on it.
    #[inline(always)]
    pub fn get_into(self, key: Value<'gc>, dst: &mut Value<'gc>) -> Option<Table<'gc>> {
        let data = self.0.borrow();
        let src = match key {
            Value::String(s) => data.find_str(s).map(|i| &data.nodes[i].value),
            Value::Number(n) => {
                let idx = (n as i64 as u64).wrapping_sub(1);
                if (idx as i64 + 1) as f64 == n && idx < data.array.len() as u64 {
                    Some(&data.array[idx as usize])
                } else {
                    data.find_node(key).map(|i| &data.nodes[i].value)
                }
            }
            Value::Nil => None,
            _ => data.find_node(key).map(|i| &data.nodes[i].value),
        };
        match src {
            Some(v) if !v.is_nil() => {
                *dst = *v;
                None
            }
            _ => match data.metatable {
                None => {
                    Value::store_nil(dst);
                    None
                }
                mt => mt,
            },
        }
    }

    /// Raw set with an integer key.
    #[inline]
    pub fn set_int(self, mc: &Mutation<'gc>, key: i64, value: Value<'gc>) {
        self.0.borrow_mut(mc).set_int(mc, key, value)
    }

    /// Grows the array part to hold `n` items (`luaH_resizearray`), as `SETLIST` does.
    pub fn ensure_array(self, mc: &Mutation<'gc>, n: usize) {
        let mut data = self.0.borrow_mut(mc);
        if n > data.array.len() {
            let nodes = data.nodes.len();
            data.resize(mc, n, nodes);
        }
    }

    /// The border `#t` returns (5.1's `luaH_getn`).
    pub fn length(self) -> usize {
        self.0.borrow().length()
    }

    /// The key/value after `key` in traversal order, `Ok(None)` at the end, `Err` for a key that is
    /// not in the table.
    pub fn next(self, key: Value<'gc>) -> Result<Option<(Value<'gc>, Value<'gc>)>, InvalidKey> {
        self.0.borrow().next(key)
    }

    /// The metatable.
    #[inline]
    pub fn metatable(self) -> Option<Table<'gc>> {
        self.0.borrow().metatable
    }

    /// Replaces the metatable, taking the weak mode from its `__mode` field.
    pub fn set_metatable(self, ctx: Ctx<'gc>, mt: Option<Table<'gc>>) {
        let weak = mt.map_or(0, |mt| mt.weak_mode());
        {
            let mut data = self.0.borrow_mut(ctx.mc);
            data.metatable = mt;
            data.weak = weak;
        }
        if weak != 0 {
            ctx.state
                .gc_registry
                .borrow_mut(ctx.mc)
                .add_weak_table(self);
        }
    }

    /// Whether the table has a non-nil value under the string key `name` (no interning needed).
    pub fn has_field(self, name: &[u8]) -> bool {
        self.field(name).is_some()
    }

    /// The value under string key `name`, found by comparing bytes.
    fn field(self, name: &[u8]) -> Option<Value<'gc>> {
        let data = self.0.borrow();
        data.nodes.iter().find_map(|n| match n.key {
            Value::String(s) if s.as_bytes() == name && !n.value.is_nil() => Some(n.value),
            _ => None,
        })
    }

    /// `WEAK_*` bits of this table used as a metatable (its `__mode` string).
    fn weak_mode(self) -> u8 {
        match self.field(b"__mode") {
            Some(Value::String(s)) => {
                let mode = s.as_bytes();
                (if mode.contains(&b'k') { WEAK_KEYS } else { 0 })
                    | (if mode.contains(&b'v') { WEAK_VALUES } else { 0 })
            }
            _ => 0,
        }
    }

    /// Looks up metamethod `name` (event number `event`) in this table used as a metatable,
    /// remembering its absence so the next lookup costs one bit test.
    #[inline]
    pub fn metamethod(self, event: u32, name: LuaString<'gc>) -> Value<'gc> {
        let data = self.0.borrow();
        let absent = data.absent_metamethods.get();
        if absent & (1 << event) != 0 {
            return Value::Nil;
        }
        let v = data.get_str(name);
        if v.is_nil() {
            data.absent_metamethods.set(absent | (1 << event));
        }
        v
    }
}

impl<'gc> TableData<'gc> {
    /// Raw get.
    #[inline]
    pub fn get(&self, key: Value<'gc>) -> Value<'gc> {
        match key {
            Value::String(s) => self.get_str(s),
            Value::Number(n) => {
                let i = n as i64;
                if i as f64 == n {
                    self.get_int(i)
                } else {
                    self.get_hashed(key)
                }
            }
            Value::Nil => Value::Nil,
            _ => self.get_hashed(key),
        }
    }

    /// Raw get with an integer key.
    #[inline]
    pub fn get_int(&self, key: i64) -> Value<'gc> {
        let idx = (key as u64).wrapping_sub(1);
        if idx < self.array.len() as u64 {
            return self.array[idx as usize];
        }
        if self.nodes.is_empty() {
            return Value::Nil;
        }
        let n = key as f64;
        let mut i = self.num_position(n);
        loop {
            let node = &self.nodes[i];
            if let Value::Number(k) = node.key {
                if k == n {
                    return node.value;
                }
            }
            if node.next == NO_NEXT {
                return Value::Nil;
            }
            i = node.next as usize;
        }
    }

    /// Raw get with a string key.
    #[inline]
    pub fn get_str(&self, key: LuaString<'gc>) -> Value<'gc> {
        if self.nodes.is_empty() {
            return Value::Nil;
        }
        let mut i = key.hash() as usize & (self.nodes.len() - 1);
        loop {
            let node = &self.nodes[i];
            if let Value::String(k) = node.key {
                if k == key {
                    return node.value;
                }
            }
            if node.next == NO_NEXT {
                return Value::Nil;
            }
            i = node.next as usize;
        }
    }

    /// The node holding string `key` (live or dead), if any.
    #[inline]
    fn find_str(&self, key: LuaString<'gc>) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut i = key.hash() as usize & (self.nodes.len() - 1);
        loop {
            let node = &self.nodes[i];
            if let Value::String(k) = node.key {
                if k == key {
                    return Some(i);
                }
            }
            if node.next == NO_NEXT {
                return None;
            }
            i = node.next as usize;
        }
    }

    fn get_hashed(&self, key: Value<'gc>) -> Value<'gc> {
        match self.find_node(key) {
            Some(i) => self.nodes[i].value,
            None => Value::Nil,
        }
    }

    /// The node holding `key` (live or dead), if any.
    fn find_node(&self, key: Value<'gc>) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut i = self.main_position(key);
        loop {
            let node = &self.nodes[i];
            if node.key.raw_equal(key) {
                return Some(i);
            }
            if node.next == NO_NEXT {
                return None;
            }
            i = node.next as usize;
        }
    }

    /// The array part (keys `1..=len`).
    pub fn array(&self) -> &[Value<'gc>] {
        &self.array
    }

    /// Raw set with an integer key.
    #[inline]
    pub fn set_int(&mut self, mc: &Mutation<'gc>, key: i64, value: Value<'gc>) {
        let idx = (key as u64).wrapping_sub(1);
        if idx < self.array.len() as u64 {
            self.array[idx as usize] = value;
            return;
        }
        self.set_hashed(mc, Value::Number(key as f64), value);
    }

    /// Raw set.
    pub fn set(
        &mut self,
        mc: &Mutation<'gc>,
        key: Value<'gc>,
        value: Value<'gc>,
    ) -> Result<(), KeyError> {
        match key {
            Value::Number(n) => {
                let i = n as i64;
                if i as f64 == n {
                    self.set_int(mc, i, value);
                    return Ok(());
                }
                if n.is_nan() {
                    return Err(KeyError::NaN);
                }
            }
            Value::Nil => return Err(KeyError::Nil),
            Value::String(_) => self.absent_metamethods.set(0),
            _ => {}
        }
        self.set_hashed(mc, key, value);
        Ok(())
    }

    fn set_hashed(&mut self, mc: &Mutation<'gc>, key: Value<'gc>, value: Value<'gc>) {
        if let Some(i) = self.find_node(key) {
            self.nodes[i].value = value;
            return;
        }
        if value.is_nil() {
            return;
        }
        self.insert_new(mc, key, value);
    }

    /// `luaH_newkey`: inserts a key known to be absent.
    fn insert_new(&mut self, mc: &Mutation<'gc>, key: Value<'gc>, value: Value<'gc>) {
        if self.nodes.is_empty() {
            self.rehash(mc, key);
            self.set_after_rehash(mc, key, value);
            return;
        }
        let mut mp = self.main_position(key);
        if !self.nodes[mp].value.is_nil() {
            let Some(free) = self.free_position() else {
                self.rehash(mc, key);
                self.set_after_rehash(mc, key, value);
                return;
            };
            let other = self.main_position(self.nodes[mp].key);
            if other != mp {
                // The colliding node is out of its main position: move it to the free slot.
                let mut prev = other;
                while self.nodes[prev].next as usize != mp {
                    prev = self.nodes[prev].next as usize;
                }
                self.nodes[prev].next = free as u32;
                self.nodes[free] = self.nodes[mp];
                self.nodes[mp].next = NO_NEXT;
                self.nodes[mp].value = Value::Nil;
            } else {
                // The colliding node is in its main position: chain the new key from it.
                self.nodes[free].next = self.nodes[mp].next;
                self.nodes[mp].next = free as u32;
                mp = free;
            }
        }
        self.nodes[mp].key = key;
        self.nodes[mp].value = value;
    }

    fn set_after_rehash(&mut self, mc: &Mutation<'gc>, key: Value<'gc>, value: Value<'gc>) {
        if let Value::Number(n) = key {
            let i = n as i64;
            if i as f64 == n {
                let idx = (i as u64).wrapping_sub(1);
                if idx < self.array.len() as u64 {
                    self.array[idx as usize] = value;
                    return;
                }
            }
        }
        self.set_hashed(mc, key, value);
    }

    fn free_position(&mut self) -> Option<usize> {
        while self.last_free > 0 {
            self.last_free -= 1;
            if self.nodes[self.last_free].key.is_nil() {
                return Some(self.last_free);
            }
        }
        None
    }

    #[inline]
    fn num_position(&self, n: f64) -> usize {
        if n == 0.0 {
            return 0;
        }
        let bits = n.to_bits();
        let h = (bits as u32).wrapping_add((bits >> 32) as u32);
        (h % ((self.nodes.len() as u32 - 1) | 1)) as usize
    }

    fn main_position(&self, key: Value<'gc>) -> usize {
        let size = self.nodes.len();
        match key {
            Value::Number(n) => self.num_position(n),
            Value::String(s) => s.hash() as usize & (size - 1),
            Value::Boolean(b) => b as usize & (size - 1),
            other => {
                let p = other.as_ptr().map_or(0, |p| p as usize) as u32;
                (p % ((size as u32 - 1) | 1)) as usize
            }
        }
    }

    fn set_node_vector(&mut self, size: usize) {
        if size == 0 {
            self.nodes = Vec::new();
        } else {
            let size = size.next_power_of_two();
            self.nodes = vec![
                Node {
                    key: Value::Nil,
                    value: Value::Nil,
                    next: NO_NEXT,
                };
                size
            ];
        }
        self.last_free = self.nodes.len();
    }

    fn recharge(&mut self, mc: &Mutation<'gc>) {
        let bytes = self.array.capacity() * std::mem::size_of::<Value>()
            + self.nodes.capacity() * std::mem::size_of::<Node>();
        self.charge.set(mc, bytes);
    }

    /// `rehash`: picks new sizes for both parts from the keys present plus `extra`, then resizes.
    fn rehash(&mut self, mc: &Mutation<'gc>, extra: Value<'gc>) {
        let mut nums = [0usize; MAX_ARRAY_BITS + 1];
        let mut array_keys = self.count_array(&mut nums);
        let mut total = array_keys;
        for node in &self.nodes {
            if !node.value.is_nil() {
                array_keys += count_int(node.key, &mut nums);
                total += 1;
            }
        }
        array_keys += count_int(extra, &mut nums);
        total += 1;
        let (array_size, in_array) = compute_sizes(&nums, array_keys);
        self.resize(mc, array_size, total - in_array);
    }

    fn count_array(&self, nums: &mut [usize]) -> usize {
        let mut total = 0;
        let mut i = 1usize;
        let mut limit = 1usize;
        for slot in nums.iter_mut() {
            let lim = limit.min(self.array.len());
            if i > lim {
                break;
            }
            let mut count = 0;
            while i <= lim {
                if !self.array[i - 1].is_nil() {
                    count += 1;
                }
                i += 1;
            }
            *slot += count;
            total += count;
            limit *= 2;
        }
        total
    }

    /// `luaH_resize`.
    pub(crate) fn resize(&mut self, mc: &Mutation<'gc>, array_size: usize, hash_size: usize) {
        let old_array_size = self.array.len();
        if array_size > old_array_size {
            self.array.resize(array_size, Value::Nil);
        }
        let old_nodes = std::mem::take(&mut self.nodes);
        self.set_node_vector(hash_size);
        if array_size < old_array_size {
            let moved: Vec<Value<'gc>> = self.array.drain(array_size..).collect();
            for (i, v) in moved.into_iter().enumerate() {
                if !v.is_nil() {
                    self.set_int(mc, (array_size + i + 1) as i64, v);
                }
            }
            self.array.shrink_to_fit();
        }
        for node in old_nodes.iter().rev() {
            if !node.value.is_nil() {
                self.set_after_rehash(mc, node.key, node.value);
            }
        }
        self.recharge(mc);
    }

    /// Removes the entries whose weak key or value `is_dead` says is dead (after marking). Only
    /// pointers are removed, so no write barrier is needed; the hash part is rebuilt because a
    /// dead key cannot stay in its chain.
    pub(crate) fn clear_dead(&mut self, mc: &Mutation<'gc>, is_dead: impl Fn(Gc<'gc, ()>) -> bool) {
        let dead = |v: Value<'gc>| v.as_object().is_some_and(&is_dead);
        if self.weak & WEAK_VALUES != 0 {
            for v in self.array.iter_mut() {
                if dead(*v) {
                    *v = Value::Nil;
                }
            }
        }
        let weak_keys = self.weak & WEAK_KEYS != 0;
        let weak_values = self.weak & WEAK_VALUES != 0;
        let doomed = |n: &Node<'gc>| {
            !n.value.is_nil() && ((weak_keys && dead(n.key)) || (weak_values && dead(n.value)))
        };
        if self.nodes.iter().any(doomed) {
            let keep: Vec<Node<'gc>> = self
                .nodes
                .iter()
                .filter(|n| !n.value.is_nil() && !doomed(n))
                .copied()
                .collect();
            let size = self.nodes.len();
            self.set_node_vector(size);
            for n in keep {
                self.set_hashed(mc, n.key, n.value);
            }
        }
    }

    /// `luaH_getn`: a border of the table.
    pub fn length(&self) -> usize {
        let mut j = self.array.len();
        if j > 0 && self.array[j - 1].is_nil() {
            let mut i = 0;
            while j - i > 1 {
                let m = (i + j) / 2;
                if self.array[m - 1].is_nil() {
                    j = m;
                } else {
                    i = m;
                }
            }
            return i;
        }
        if self.nodes.is_empty() {
            return j;
        }
        self.unbound_search(j)
    }

    fn unbound_search(&self, j: usize) -> usize {
        let mut i = j;
        let mut j = j + 1;
        while !self.get_int(j as i64).is_nil() {
            i = j;
            if j > (i32::MAX as usize) / 2 {
                let mut k = 1;
                while !self.get_int(k).is_nil() {
                    k += 1;
                }
                return (k - 1) as usize;
            }
            j *= 2;
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if self.get_int(m as i64).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    /// `luaH_next`.
    pub fn next(&self, key: Value<'gc>) -> Result<Option<(Value<'gc>, Value<'gc>)>, InvalidKey> {
        let mut i = self.traversal_index(key)?;
        while i < self.array.len() {
            if !self.array[i].is_nil() {
                return Ok(Some((Value::Number((i + 1) as f64), self.array[i])));
            }
            i += 1;
        }
        let mut n = i - self.array.len();
        while n < self.nodes.len() {
            let node = &self.nodes[n];
            if !node.value.is_nil() {
                return Ok(Some((node.key, node.value)));
            }
            n += 1;
        }
        Ok(None)
    }

    /// Position after `key` in traversal order (array slots first, then nodes).
    fn traversal_index(&self, key: Value<'gc>) -> Result<usize, InvalidKey> {
        match key {
            Value::Nil => return Ok(0),
            Value::Number(n) => {
                let i = n as i64;
                if i as f64 == n && i >= 1 && (i as usize) <= self.array.len() {
                    return Ok(i as usize);
                }
            }
            _ => {}
        }
        match self.find_node(key) {
            Some(n) => Ok(self.array.len() + n + 1),
            None => Err(InvalidKey),
        }
    }

    /// The metatable.
    #[inline]
    pub fn metatable(&self) -> Option<Table<'gc>> {
        self.metatable
    }
}

/// Counts `key` in `nums` if it is an array-candidate integer; returns 1 if so.
fn count_int(key: Value<'_>, nums: &mut [usize]) -> usize {
    if let Value::Number(n) = key {
        let k = n as i64;
        if k as f64 == n && (1..=(1 << MAX_ARRAY_BITS)).contains(&k) {
            nums[ceil_log2(k as usize)] += 1;
            return 1;
        }
    }
    0
}

fn ceil_log2(x: usize) -> usize {
    (usize::BITS - (x - 1).leading_zeros()) as usize
}

/// `computesizes`: the largest power of two `n` such that more than half of `1..=n` is in use.
/// Returns `(n, keys that go to the array part)`.
fn compute_sizes(nums: &[usize], array_keys: usize) -> (usize, usize) {
    let mut a = 0;
    let mut na = 0;
    let mut n = 0;
    let mut two_to_i = 1usize;
    for &count in nums {
        if two_to_i / 2 >= array_keys {
            break;
        }
        if count > 0 {
            a += count;
            if a > two_to_i / 2 {
                n = two_to_i;
                na = a;
            }
        }
        two_to_i *= 2;
    }
    (n, na)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_sixteen_bytes() {
        assert!(std::mem::size_of::<Value>() <= 16);
    }

    #[test]
    fn sizes_follow_lua_5_1() {
        let mut nums = [0usize; MAX_ARRAY_BITS + 1];
        for k in 1..=5 {
            count_int(Value::Number(k as f64), &mut nums);
        }
        assert_eq!(compute_sizes(&nums, 5), (8, 5));
    }
}
