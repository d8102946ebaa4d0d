//! The keyspace: one [`Db`] per database, each a hash table of key → [`Entry`] (value, access stamp,
//! has-TTL flag) plus a second table of key → expiry time for the keys that carry a TTL. Key
//! decisions: like Redis's `expires` dict, the expiry time lives only in the second table, so the
//! (usual) keys without one pay nothing for it; the flag in the entry keeps the lazy check on access
//! free for them. Keys are [`Bytes`] (inline up to 22 bytes), so a typical key costs no allocation and
//! a map slot is 64 bytes (hash, key, entry). Both tables are insertion-indexed (`IndexMap`) so random
//! sampling, `RANDOMKEY`, active expiry and `SCAN` cursors are O(1) per step.

pub mod bytes;
pub mod clock;
pub mod expire;
pub mod glob;
pub mod hash;
pub mod hooks;
pub mod list;
pub mod long_double;
pub mod pack;
pub mod set;
pub mod thin;
pub mod value;
pub mod zset;

pub use bytes::Bytes;
pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use value::{Value, WrongType};
pub use zset::ZSet;

use indexmap::IndexMap;

/// Hasher for the keyspace tables (fast, randomly seeded per process).
pub type Hasher = foldhash::fast::RandomState;
/// A key: immutable binary-safe bytes.
pub type Key = Box<[u8]>;

/// Keys from which the keyspace's slot vector grows in small steps (see `Db::reserve_slot`).
const GROW_STEP_FROM: usize = 4096;

/// What is stored under a key.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// Seconds clock at the last access (`OBJECT IDLETIME`).
    pub lru: u32,
    /// True when the key has an expiry time in [`Db`]'s `volatile` table.
    ttl: bool,
}

impl Entry {
    /// True when the key has a TTL.
    pub fn has_ttl(&self) -> bool {
        self.ttl
    }
}

/// A key's value with its expiry time, taken out of a database (RENAME, MOVE, COPY).
#[derive(Debug, Clone)]
pub struct Detached {
    /// The value.
    pub value: Value,
    /// Absolute expiry time in unix milliseconds; 0 when the key has no TTL.
    pub expire_at: i64,
}

/// One database.
#[derive(Debug, Default)]
pub struct Db {
    map: IndexMap<Bytes, Entry, Hasher>,
    /// Key → absolute expiry time (unix ms), for the keys whose entry has `ttl` set.
    volatile: IndexMap<Bytes, i64, Hasher>,
    /// Keys removed because their TTL passed.
    pub expired_keys: u64,
    /// Successful read lookups.
    pub hits: u64,
    /// Read lookups that found no key.
    pub misses: u64,
    /// Writes since start (drives `rdb_changes_since_last_save`).
    pub dirty: u64,
    /// Per-key modification counter, bumped by [`Db::signal_modified`].
    pub version: u64,
    /// Watchers, blocked clients, notifications and tracking of this database's keys.
    pub hooks: hooks::KeyHooks,
    /// While clients are paused (`CLIENT PAUSE`), an expired key reads as missing but is not
    /// deleted.
    pub expiry_paused: bool,
}

impl Db {
    /// An empty database.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the keys, values and expiry times, without the counters and hooks: the dataset
    /// a forked debugging session (`SCRIPT DEBUG YES`) works on.
    pub fn snapshot(&self) -> Db {
        Db {
            map: self.map.clone(),
            volatile: self.volatile.clone(),
            ..Db::default()
        }
    }

    /// Number of keys (including expired keys not yet reclaimed, as Redis's `DBSIZE`).
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the database holds no key.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of keys with a TTL.
    pub fn volatile_len(&self) -> usize {
        self.volatile.len()
    }

    /// Deletes `key` when its TTL has passed (an overwrite first expires the old value, as
    /// Redis's `lookupKeyWrite` does: the deletion is counted, notified and propagated).
    #[inline]
    fn expire_if_due(&mut self, key: &[u8]) {
        if !self.volatile.is_empty() {
            self.live_index(key);
        }
    }

    /// Index of a live key, deleting it first when its TTL has passed.
    #[inline]
    fn live_index(&mut self, key: &[u8]) -> Option<usize> {
        let (idx, _, entry) = self.map.get_full(key)?;
        if entry.ttl && self.expire_of(key) < clock::now_ms() {
            if !self.expiry_paused {
                self.expire_key(key);
            }
            return None;
        }
        Some(idx)
    }

    /// The expiry time recorded for `key` (0 when it has none); no liveness check.
    fn expire_of(&self, key: &[u8]) -> i64 {
        self.volatile.get(key).copied().unwrap_or(0)
    }

    /// The expiry time of a live key: `None` when the key is missing, `Some(0)` when it has no TTL.
    pub fn expire_at(&mut self, key: &[u8]) -> Option<i64> {
        let i = self.live_index(key)?;
        Some(if self.map[i].ttl {
            self.expire_of(key)
        } else {
            0
        })
    }

    /// True when the entry has expired by `now` (entries of `keys`/`scan` iteration).
    fn is_dead(&self, key: &[u8], e: &Entry, now: i64) -> bool {
        e.ttl && self.expire_of(key) < now
    }

    /// Clears the TTL of the entry at `i` (keeps the value).
    fn clear_ttl(&mut self, i: usize) {
        let (k, e) = self.map.get_index_mut(i).expect("index of a live key");
        if e.ttl {
            e.ttl = false;
            self.volatile.swap_remove(k.as_slice());
        }
    }

    /// Looks a key up for reading (counts a keyspace hit or miss, refreshes its access time).
    pub fn get(&mut self, key: &[u8]) -> Option<&Value> {
        match self.live_index(key) {
            Some(i) => {
                self.hits += 1;
                let e = &mut self.map[i];
                e.lru = clock::lru_clock();
                Some(&e.value)
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }

    /// Looks a key up for writing (no hit/miss accounting).
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        let i = self.live_index(key)?;
        let e = &mut self.map[i];
        e.lru = clock::lru_clock();
        Some(&mut e.value)
    }

    /// The live entry under `key` without touching its access time.
    pub fn entry(&mut self, key: &[u8]) -> Option<&Entry> {
        let i = self.live_index(key)?;
        Some(&self.map[i])
    }

    /// The value under `key` with no expiry check and no statistics, borrowing the database shared:
    /// for commands reading several keys at once after looking each up with [`Db::get`] (which already
    /// dropped expired ones).
    pub fn peek(&self, key: &[u8]) -> Option<&Value> {
        self.map.get(key).map(|e| &e.value)
    }

    /// The entry under `key` with no expiry check and no statistics (`DEBUG DIGEST-VALUE`).
    pub fn peek_entry(&self, key: &[u8]) -> Option<&Entry> {
        self.map.get(key)
    }

    /// True when `key` exists (and has not expired).
    pub fn contains(&mut self, key: &[u8]) -> bool {
        self.live_index(key).is_some()
    }

    /// Stores `value` under `key`, replacing any old value and clearing its TTL (like `SET`).
    pub fn set(&mut self, key: &[u8], value: Value) {
        self.expire_if_due(key);
        match self.map.get_index_of(key) {
            Some(i) => {
                let e = &mut self.map[i];
                e.value = value;
                e.lru = clock::lru_clock();
                self.clear_ttl(i);
            }
            None => {
                self.insert_new(key, value);
            }
        }
    }

    /// Stores `value` under `key`, keeping the TTL of a live old value (`SET ... KEEPTTL`).
    pub fn set_keep_ttl(&mut self, key: &[u8], value: Value) {
        match self.live_index(key) {
            Some(i) => {
                let e = &mut self.map[i];
                e.value = value;
                e.lru = clock::lru_clock();
            }
            None => self.insert_new(key, value),
        }
    }

    /// Inserts a key known to be absent.
    fn insert_new(&mut self, key: &[u8], value: Value) {
        self.reserve_slot();
        let entry = Entry {
            value,
            lru: clock::lru_clock(),
            ttl: false,
        };
        self.map.insert(Bytes::new(key), entry);
    }

    /// Makes room for one more key. Past [`GROW_STEP_FROM`] keys the slot vector grows by a sixteenth
    /// at a time instead of to the index table's capacity (up to double): a 64-byte slot per key is most
    /// of a small key's memory, and a large vector's `realloc` remaps pages rather than copying them.
    #[inline]
    fn reserve_slot(&mut self) {
        let len = self.map.len();
        if len >= GROW_STEP_FROM && len == self.map.capacity() {
            self.map.reserve_exact(len / 16);
        }
    }

    /// The live value under `key`, inserting `make()` first when the key is absent.
    pub fn get_or_insert_with(&mut self, key: &[u8], make: impl FnOnce() -> Value) -> &mut Value {
        let i = match self.live_index(key) {
            Some(i) => i,
            None => {
                self.insert_new(key, make());
                self.map.len() - 1
            }
        };
        let e = &mut self.map[i];
        e.lru = clock::lru_clock();
        &mut e.value
    }

    /// Removes a key, returning its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        self.remove_with_ttl(key).map(|d| d.value)
    }

    /// Removes a key (live or not), returning its value and expiry time.
    fn remove_with_ttl(&mut self, key: &[u8]) -> Option<Detached> {
        let entry = self.map.swap_remove(key)?;
        let expire_at = match entry.ttl {
            true => self.volatile.swap_remove(key).unwrap_or(0),
            false => 0,
        };
        Some(Detached {
            value: entry.value,
            expire_at,
        })
    }

    /// Removes a live key, returning its value and TTL.
    pub fn remove_entry(&mut self, key: &[u8]) -> Option<Detached> {
        self.live_index(key)?;
        self.remove_with_ttl(key)
    }

    /// A copy of a live key's value and TTL (`COPY`).
    pub fn clone_entry(&mut self, key: &[u8]) -> Option<Detached> {
        let expire_at = self.expire_at(key)?;
        let value = self.peek(key)?.clone();
        Some(Detached { value, expire_at })
    }

    /// Inserts a value with its TTL, replacing any old key.
    pub fn insert_entry(&mut self, key: &[u8], d: Detached) {
        self.remove(key);
        self.insert_new(key, d.value);
        if d.expire_at != 0 {
            self.set_expire(key, d.expire_at);
        }
    }

    /// Deletes `key` when it holds an empty collection (call after removing elements, and after
    /// raising the command's own keyspace event: this raises `del`, as Redis does next).
    pub fn remove_if_empty(&mut self, key: &[u8]) {
        if self
            .map
            .get(key)
            .is_some_and(|e| e.value.is_empty_collection())
        {
            self.remove(key);
            self.hooks.notify(hooks::class::GENERIC, "del", key);
        }
    }

    /// Sets the absolute expiry (unix ms) of a live key; returns false when the key is missing.
    pub fn set_expire(&mut self, key: &[u8], at_ms: i64) -> bool {
        let Some(i) = self.live_index(key) else {
            return false;
        };
        let (k, e) = self.map.get_index_mut(i).expect("index of a live key");
        e.ttl = true;
        match self.volatile.get_mut(key) {
            Some(at) => *at = at_ms.max(1),
            None => {
                self.volatile.insert(k.clone(), at_ms.max(1));
            }
        }
        true
    }

    /// Removes the TTL of a live key; returns true when there was one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        let Some(i) = self.live_index(key) else {
            return false;
        };
        if !self.map[i].ttl {
            return false;
        }
        self.clear_ttl(i);
        true
    }

    /// Records a write to `key`: bumps the dirty counter and tells the [`hooks`] (WATCH, blocked
    /// clients, tracking). Every handler that changes a key calls this once per changed key.
    pub fn signal_modified(&mut self, key: &[u8]) {
        self.dirty += 1;
        self.version += 1;
        self.hooks.on_write(key);
    }

    /// Raises keyspace event `event` of `class` (see [`hooks::class`]) on `key`: one call per site
    /// where Redis calls `notifyKeyspaceEvent`.
    #[inline]
    pub fn notify(&mut self, class: u32, event: &'static str, key: &[u8]) {
        self.hooks.notify(class, event, key);
    }

    /// Deletes a key whose TTL passed: counts it, touches watchers, raises `expired`.
    pub fn expire_key(&mut self, key: &[u8]) {
        self.remove(key);
        self.expired_keys += 1;
        self.hooks.on_write(key);
        self.hooks.on_expire(key);
        self.hooks.notify(hooks::class::EXPIRED, "expired", key);
    }

    /// Exchanges the keyspaces (not the watchers or blocked clients) of two databases (`SWAPDB`):
    /// watched keys existing in either become dirty, keys clients wait for become ready.
    pub fn swap_keyspace(&mut self, other: &mut Db) {
        let touch = |db: &mut Db, other: &Db| {
            let map = &db.map;
            db.hooks
                .touch_watched(|k| map.contains_key(k) || other.map.contains_key(k));
        };
        touch(self, other);
        touch(other, self);
        std::mem::swap(&mut self.map, &mut other.map);
        std::mem::swap(&mut self.volatile, &mut other.volatile);
        for db in [&mut *self, &mut *other] {
            let keys: Vec<Key> = db.hooks.blocked_keys().cloned().collect();
            for k in keys {
                if db.map.contains_key(&*k) {
                    db.hooks.mark_ready(&k);
                }
            }
        }
    }

    /// Removes every key; returns how many there were. Watchers of existing keys become dirty.
    pub fn flush(&mut self) -> usize {
        let map = &self.map;
        self.hooks.touch_watched(|k| map.contains_key(k));
        let n = self.map.len();
        self.map = IndexMap::default();
        self.volatile = IndexMap::default();
        n
    }

    /// A random live key.
    pub fn random_key(&mut self) -> Option<Key> {
        for _ in 0..100 {
            if self.map.is_empty() {
                return None;
            }
            let i = random_index(self.map.len());
            let (k, e) = self.map.get_index(i)?;
            if self.is_dead(k, e, clock::now_ms()) {
                let k = k.clone();
                if !self.expiry_paused {
                    self.expire_key(&k);
                }
                continue;
            }
            return Some(k.as_slice().into());
        }
        self.map
            .get_index(random_index(self.map.len()))
            .map(|(k, _)| k.as_slice().into())
    }

    /// One `SCAN` step: calls `f` for up to `count` live keys and returns the next cursor (0 when
    /// done). The table is walked from the last position down (cursor `c` = "positions below `c` are
    /// left"): a removal swaps the last key into the hole, and the last keys are the ones already
    /// visited, so a key present for the whole iteration is never skipped (it may come twice, as SCAN
    /// allows).
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(&[u8], &Entry)) -> u64 {
        let now = clock::now_ms();
        let (bottom, top) = scan_window(cursor, count, self.map.len());
        for i in (bottom..top).rev() {
            if let Some((k, e)) = self.map.get_index(i) {
                if !self.is_dead(k, e, now) {
                    f(k, e);
                }
            }
        }
        bottom as u64
    }

    /// Every stored entry with its expiry time (0: none), logically expired ones not yet removed
    /// included (`DEBUG DIGEST`).
    pub fn stored_entries(&self) -> impl Iterator<Item = (&[u8], &Entry, i64)> {
        self.map.iter().map(|(k, e)| {
            let at = if e.ttl { self.expire_of(k) } else { 0 };
            (k.as_slice(), e, at)
        })
    }

    /// Number of stored entries, logically expired ones included.
    pub fn stored_len(&self) -> usize {
        self.map.len()
    }

    /// Iterates over all live keys with their entries and expiry times (0: none).
    pub fn keys(&self) -> impl Iterator<Item = (&[u8], &Entry, i64)> {
        let now = clock::now_ms();
        self.map
            .iter()
            .filter(move |(k, e)| !self.is_dead(k, e, now))
            .map(|(k, e)| {
                let at = if e.ttl { self.expire_of(k) } else { 0 };
                (k.as_slice(), e, at)
            })
    }
}

/// The positions `bottom..top` one top-down SCAN step visits in a table of `len` slots: cursor 0
/// starts at the end, a cursor beyond the end (the table shrank, or `-1`) is clamped to it.
pub fn scan_window(cursor: u64, count: usize, len: usize) -> (usize, usize) {
    let top = match usize::try_from(cursor) {
        Ok(0) | Err(_) => len,
        Ok(c) => c.min(len),
    };
    (top.saturating_sub(count), top)
}

/// A fast non-cryptographic random index below `n` (sampling for expiry and `RANDOMKEY`).
pub fn random_index(n: usize) -> usize {
    use std::cell::Cell;
    thread_local!(static STATE: Cell<u64> = Cell::new(clock::system_us() as u64 | 1));
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        (x % n.max(1) as u64) as usize
    })
}

impl Db {
    /// Stores a string value under `key` (clearing any TTL) — the `SET` fast path: one lookup, and no
    /// allocation at all for a short key and value.
    pub fn set_bytes(&mut self, key: &[u8], data: &[u8]) {
        self.expire_if_due(key);
        match self.map.get_index_of(key) {
            Some(i) => {
                let e = &mut self.map[i];
                e.lru = clock::lru_clock();
                e.value = Value::Str(Bytes::new(data));
                self.clear_ttl(i);
            }
            None => self.insert_new(key, Value::Str(Bytes::new(data))),
        }
    }
}

impl Db {
    /// Bytes of the keyspace tables themselves (slots and index), main and expires: what Redis's
    /// `MEMORY STATS` calls `overhead.hashtable.*`.
    pub fn table_bytes(&self) -> (usize, usize) {
        let slot = |entry: usize| 8 + std::mem::size_of::<Bytes>() + entry + 9;
        (
            self.map.capacity() * slot(std::mem::size_of::<Entry>()),
            self.volatile.capacity() * slot(8),
        )
    }

    /// `MEMORY USAGE`: bytes a live key takes — its share of the table, the key's and the value's
    /// allocations — sampling up to `samples` elements of a large collection.
    pub fn key_memory(&mut self, key: &[u8], samples: usize) -> Option<usize> {
        let i = self.live_index(key)?;
        let (k, e) = self.map.get_index(i)?;
        let slot = 8 + std::mem::size_of::<Bytes>() + std::mem::size_of::<Entry>() + 9;
        let ttl = if e.ttl {
            8 + std::mem::size_of::<Bytes>() + 8 + 9
        } else {
            0
        };
        Some(slot + ttl + heap_chunk(k.heap_size()) + e.value.memory_usage(samples))
    }
}

/// Sum of `size` over up to `samples` of `items` (of `len` in all), scaled up to all of them.
pub fn sampled<T>(
    len: usize,
    samples: usize,
    items: impl Iterator<Item = T>,
    size: impl Fn(T) -> usize,
) -> usize {
    let n = len.min(samples);
    if n == 0 {
        return 0;
    }
    let sum: usize = items.take(n).map(size).sum();
    (sum as f64 * len as f64 / n as f64) as usize
}

/// Allocator bytes of a block of `n` bytes (none when `n` is 0).
pub fn heap_chunk(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        crate::alloc::chunk_size(n)
    }
}
