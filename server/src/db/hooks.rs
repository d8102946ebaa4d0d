//! Per-database observers of key writes: clients `WATCH`ing keys (dirty on any touch), clients blocked
//! on keys (the key is queued as "ready" when written), keyspace notification events waiting to be
//! published, written keys for client-side caching invalidation, and expired keys for propagation. Key decision: the keyspace only
//! records facts here (one call from [`super::Db::signal_modified`], one from expiry); the server acts
//! on them after the command (`crate::cmd::after_command`) because only it can reach other clients.
//! Every check is a cheap "is anything registered?" when no feature is in use.

use super::{Hasher, Key};
use std::collections::{HashMap, HashSet};

/// Notification classes of `notify-keyspace-events` (Redis's `NOTIFY_*` bits).
pub mod class {
    /// `K`: `__keyspace@<db>__:<key>` channel.
    pub const KEYSPACE: u32 = 1 << 0;
    /// `E`: `__keyevent@<db>__:<event>` channel.
    pub const KEYEVENT: u32 = 1 << 1;
    /// `g`: generic commands (DEL, EXPIRE, RENAME...).
    pub const GENERIC: u32 = 1 << 2;
    /// `$`: string commands.
    pub const STRING: u32 = 1 << 3;
    /// `l`: list commands.
    pub const LIST: u32 = 1 << 4;
    /// `s`: set commands.
    pub const SET: u32 = 1 << 5;
    /// `h`: hash commands.
    pub const HASH: u32 = 1 << 6;
    /// `z`: sorted set commands.
    pub const ZSET: u32 = 1 << 7;
    /// `x`: expired events.
    pub const EXPIRED: u32 = 1 << 8;
    /// `e`: evicted events.
    pub const EVICTED: u32 = 1 << 9;
    /// `t`: stream commands.
    pub const STREAM: u32 = 1 << 10;
    /// `m`: key miss events.
    pub const KEY_MISS: u32 = 1 << 11;
    /// `d`: module key type events.
    pub const MODULE: u32 = 1 << 12;
    /// `n`: new key events.
    pub const NEW: u32 = 1 << 13;
    /// `A`: alias for `g$lshztxed`.
    pub const ALL: u32 =
        GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;
}

/// A keyspace event waiting to be published: (class, event name, key).
pub type Event = (u32, &'static str, Key);

/// Observers of one database's keys.
#[derive(Debug, Default)]
pub struct KeyHooks {
    /// Key → ids of the clients watching it.
    watchers: HashMap<Key, Vec<u64>, Hasher>,
    /// Clients whose watched keys were touched (their EXEC fails).
    dirty: HashSet<u64, Hasher>,
    /// Key → number of clients blocked on it.
    blocked: HashMap<Key, usize, Hasher>,
    /// Keys with blocked clients that were written since the last check, in order.
    pub ready: Vec<Key>,
    /// Enabled notification classes (`notify-keyspace-events`), 0 when off.
    pub notify_mask: u32,
    /// Events raised by the running command, published after it.
    pub events: Vec<Event>,
    /// Whether written keys are recorded for tracking invalidation.
    pub record_writes: bool,
    /// Keys written since the last check (only when `record_writes`).
    pub written: Vec<Key>,
    /// Whether keys deleted by expiry are recorded (something consumes propagated commands).
    pub record_expired: bool,
    /// Keys deleted by expiry since the last check (only when `record_expired`), in order.
    pub expired: Vec<Key>,
}

impl KeyHooks {
    /// Called for every written key.
    #[inline]
    pub fn on_write(&mut self, key: &[u8]) {
        if !self.watchers.is_empty() {
            if let Some(ids) = self.watchers.get(key) {
                self.dirty.extend(ids.iter().copied());
            }
        }
        if !self.blocked.is_empty() && self.blocked.contains_key(key) && !self.is_ready(key) {
            self.ready.push(key.into());
        }
        if self.record_writes {
            self.written.push(key.into());
        }
    }

    /// True when a ready key or an event waits for [`crate::cmd::after_command`].
    #[inline]
    pub fn has_pending(&self) -> bool {
        !self.ready.is_empty() || !self.events.is_empty()
    }

    /// Called for every key deleted because its TTL passed.
    #[inline]
    pub fn on_expire(&mut self, key: &[u8]) {
        if self.record_expired {
            self.expired.push(key.into());
        }
    }

    fn is_ready(&self, key: &[u8]) -> bool {
        self.ready.iter().any(|k| &**k == key)
    }

    /// Raises a keyspace event when its class is enabled.
    #[inline]
    pub fn notify(&mut self, class: u32, event: &'static str, key: &[u8]) {
        if self.notify_mask & class != 0 {
            self.events.push((class, event, key.into()));
        }
    }

    /// Registers client `id` as watching `key`.
    pub fn watch(&mut self, key: &[u8], id: u64) {
        let ids = self.watchers.entry(key.into()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// Removes client `id`'s watch on `key` and its dirty mark.
    pub fn unwatch(&mut self, key: &[u8], id: u64) {
        if let Some(ids) = self.watchers.get_mut(key) {
            ids.retain(|&i| i != id);
            if ids.is_empty() {
                self.watchers.remove(key);
            }
        }
        self.dirty.remove(&id);
    }

    /// True when a key watched by client `id` was touched.
    pub fn is_dirty(&self, id: u64) -> bool {
        self.dirty.contains(&id)
    }

    /// Marks dirty the watchers of every watched key for which `exists` is true (FLUSHDB, SWAPDB).
    pub fn touch_watched(&mut self, mut exists: impl FnMut(&[u8]) -> bool) {
        for (key, ids) in &self.watchers {
            if exists(key) {
                self.dirty.extend(ids.iter().copied());
            }
        }
    }

    /// Counts one more client blocked on `key`.
    pub fn block(&mut self, key: &[u8]) {
        *self.blocked.entry(key.into()).or_default() += 1;
    }

    /// Counts one client less blocked on `key`.
    pub fn unblock(&mut self, key: &[u8]) {
        if let Some(n) = self.blocked.get_mut(key) {
            *n -= 1;
            if *n == 0 {
                self.blocked.remove(key);
            }
        }
    }

    /// Keys some client is blocked on.
    pub fn blocked_keys(&self) -> impl Iterator<Item = &Key> {
        self.blocked.keys()
    }

    /// Marks `key` ready when some client is blocked on it (SWAPDB brings new values in).
    pub fn mark_ready(&mut self, key: &[u8]) {
        if self.blocked.contains_key(key) && !self.is_ready(key) {
            self.ready.push(key.into());
        }
    }
}
