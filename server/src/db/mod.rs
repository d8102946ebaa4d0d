//! The keyspace: one [`Db`] per database, each a hash table of key → [`Entry`] (value, expiry time,
//! access stamp) plus the set of keys that carry a TTL. Key decisions: the expiry time lives in the
//! entry so the lazy check on access costs no second lookup, and the separate `volatile` index lets the
//! active expiry cycle sample only keys that can expire. Both tables are insertion-indexed (`IndexMap`)
//! so random sampling, `RANDOMKEY` and `SCAN` cursors are O(1) per step.

pub mod clock;
pub mod expire;
pub mod glob;
pub mod hash;
pub mod hooks;
pub mod list;
pub mod long_double;
pub mod set;
pub mod value;
pub mod zset;

pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use value::{Value, WrongType};
pub use zset::ZSet;

use indexmap::{IndexMap, IndexSet};

/// Hasher for the keyspace tables (fast, randomly seeded per process).
pub type Hasher = foldhash::fast::RandomState;
/// A key: immutable binary-safe bytes.
pub type Key = Box<[u8]>;

/// What is stored under a key.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// Absolute expiry time in unix milliseconds; 0 when the key has no TTL.
    pub expire_at: i64,
    /// Seconds clock at the last access (`OBJECT IDLETIME`).
    pub lru: u32,
}

/// One database.
#[derive(Debug, Default)]
pub struct Db {
    map: IndexMap<Key, Entry, Hasher>,
    volatile: IndexSet<Key, Hasher>,
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
    fn live_index(&mut self, key: &[u8]) -> Option<usize> {
        let (idx, _, entry) = self.map.get_full(key)?;
        if entry.expire_at != 0 && entry.expire_at < clock::now_ms() {
            if !self.expiry_paused {
                self.expire_key(key);
            }
            return None;
        }
        Some(idx)
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
        match self.map.get_mut(key) {
            Some(e) => {
                e.value = value;
                e.lru = clock::lru_clock();
                if e.expire_at != 0 {
                    e.expire_at = 0;
                    self.volatile.swap_remove(key);
                }
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
        let entry = Entry {
            value,
            expire_at: 0,
            lru: clock::lru_clock(),
        };
        self.map.insert(key.into(), entry);
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
        let entry = self.map.swap_remove(key)?;
        if entry.expire_at != 0 {
            self.volatile.swap_remove(key);
        }
        Some(entry.value)
    }

    /// Removes a key, returning the whole entry (value and TTL).
    pub fn remove_entry(&mut self, key: &[u8]) -> Option<Entry> {
        self.live_index(key)?;
        let entry = self.map.swap_remove(key)?;
        if entry.expire_at != 0 {
            self.volatile.swap_remove(key);
        }
        Some(entry)
    }

    /// Inserts a whole entry (value and TTL), replacing any old one.
    pub fn insert_entry(&mut self, key: &[u8], entry: Entry) {
        self.remove(key);
        let at = entry.expire_at;
        self.map.insert(key.into(), entry);
        if at != 0 {
            self.volatile.insert(key.into());
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
        let e = &mut self.map[i];
        if e.expire_at == 0 {
            self.volatile.insert(key.into());
        }
        e.expire_at = at_ms.max(1);
        true
    }

    /// Removes the TTL of a live key; returns true when there was one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        let Some(i) = self.live_index(key) else {
            return false;
        };
        let e = &mut self.map[i];
        if e.expire_at == 0 {
            return false;
        }
        e.expire_at = 0;
        self.volatile.swap_remove(key);
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
                if db.map.contains_key(&k) {
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
        self.volatile = IndexSet::default();
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
            if e.expire_at != 0 && e.expire_at < clock::now_ms() {
                let k = k.clone();
                if !self.expiry_paused {
                    self.expire_key(&k);
                }
                continue;
            }
            return Some(k.clone());
        }
        self.map
            .get_index(random_index(self.map.len()))
            .map(|(k, _)| k.clone())
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
                if e.expire_at == 0 || e.expire_at >= now {
                    f(k, e);
                }
            }
        }
        bottom as u64
    }

    /// Every stored entry, logically expired ones not yet removed included (`DEBUG DIGEST`).
    pub fn stored_entries(&self) -> impl Iterator<Item = (&Key, &Entry)> {
        self.map.iter()
    }

    /// Number of stored entries, logically expired ones included.
    pub fn stored_len(&self) -> usize {
        self.map.len()
    }

    /// Iterates over all live keys.
    pub fn keys(&self) -> impl Iterator<Item = (&Key, &Entry)> {
        let now = clock::now_ms();
        self.map
            .iter()
            .filter(move |(_, e)| e.expire_at == 0 || e.expire_at >= now)
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
    /// Stores a string value under `key` (clearing any TTL), reusing the old string's buffer when it
    /// fits — the `SET` fast path.
    pub fn set_bytes(&mut self, key: &[u8], data: &[u8]) {
        self.expire_if_due(key);
        if let Some(e) = self.map.get_mut(key) {
            e.lru = clock::lru_clock();
            match &mut e.value {
                Value::Str(v)
                    if v.capacity() >= data.len() && v.capacity() <= 2 * data.len() + 64 =>
                {
                    v.clear();
                    v.extend_from_slice(data);
                }
                other => *other = Value::Str(data.to_vec()),
            }
            if e.expire_at != 0 {
                e.expire_at = 0;
                self.volatile.swap_remove(key);
            }
        } else {
            self.insert_new(key, Value::Str(data.to_vec()));
        }
    }
}
