//! The client-side caching registry (`CLIENT TRACKING`): each tracking client's options, the table of
//! keys read by clients in the default mode (key → client ids), the broadcast prefixes with the keys
//! written under them since the last event-loop turn, and invalidations waiting for the running
//! client's reply to be complete. Key decisions, as Redis 7.0's `tracking.c`: the key table is global
//! (keys of every database share it) and remembers ids only, so a closed or disabled client is dropped
//! lazily when its keys are next written; broadcast state is kept in sorted maps because Redis walks
//! radix trees, which fixes the order of prefixes and of keys inside a message. Delivery (which needs
//! the connections) is in `crate::cmd::tracking`.

use crate::db::{Hasher, Key};
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One tracking client's options (`CLIENT TRACKING ON ...`) and its per-command state.
#[derive(Debug, Default, Clone)]
pub struct ClientTracking {
    /// Slot of the client's connection.
    pub slot: usize,
    /// Client id invalidations are redirected to (0: none).
    pub redirect: u64,
    /// Slot of the redirect client when it was named.
    pub redirect_slot: usize,
    /// `BCAST`: notified of writes under its prefixes instead of the keys it read.
    pub bcast: bool,
    /// `OPTIN`: only keys read right after `CLIENT CACHING YES` are tracked.
    pub optin: bool,
    /// `OPTOUT`: keys read right after `CLIENT CACHING NO` are not tracked.
    pub optout: bool,
    /// `NOLOOP`: no invalidation for the client's own writes.
    pub noloop: bool,
    /// `CLIENT CACHING` was given for the next command (or transaction).
    pub caching: bool,
    /// The redirect client has gone away.
    pub broken: bool,
    /// Broadcast prefixes, sorted.
    pub prefixes: BTreeSet<Vec<u8>>,
}

/// What an invalidation says: one key, "everything" (after a flush), or an encoded RESP array of keys
/// (broadcast).
#[derive(Debug, Clone)]
pub enum Payload {
    /// One key (sent as a one-element array).
    Key(Key),
    /// RESP null: every key is invalid (encoded in the tracking client's protocol).
    Null,
    /// An already encoded array of keys.
    Encoded(Vec<u8>),
}

/// A queued invalidation: the id of the tracking client it is for, and what it says.
pub type Message = (u64, Payload);

/// Keys written under one broadcast prefix, and who listens to it.
#[derive(Debug, Default)]
struct Prefix {
    /// Listening client ids.
    clients: Vec<u64>,
    /// Keys written since the last broadcast → id of the client that wrote them last (0: none).
    keys: BTreeMap<Key, u64>,
}

/// One prefix's batch of written keys, ready to broadcast to its clients.
#[derive(Debug)]
pub struct Batch {
    /// The listening client ids.
    pub clients: Vec<u64>,
    /// Written keys → last writer id.
    pub keys: BTreeMap<Key, u64>,
}

/// Every client-side caching record on the server.
#[derive(Debug, Default)]
pub struct Tracking {
    clients: HashMap<u64, ClientTracking, Hasher>,
    /// Key → ids of the clients that read it, in Redis's order (little-endian id bytes).
    keys: IndexMap<Key, Vec<u64>, Hasher>,
    /// Number of (key, client) pairs in `keys`.
    items: usize,
    prefixes: BTreeMap<Vec<u8>, Prefix>,
    /// Invalidations for the running client (or redirected to it), sent after its reply: (tracking
    /// client id, payload).
    pub pending: Vec<Message>,
    /// Invalidations of other clients redirected to the running client: like Redis, they go out
    /// ahead of the reply of the command that caused them.
    pub redirected: Vec<Message>,
    /// Id of the client whose top-level command is running (0: none).
    pub current: u64,
    /// Rounds `tracking-table-max-keys` could not be met; raises the next round's effort.
    pub limit_misses: u32,
}

impl Tracking {
    /// True when anything is tracked or any client tracks: commands must be looked at.
    #[inline]
    pub fn in_use(&self) -> bool {
        !self.clients.is_empty() || !self.keys.is_empty()
    }

    /// True when written keys matter (someone may need an invalidation for them).
    pub fn wants_writes(&self) -> bool {
        !self.keys.is_empty() || !self.prefixes.is_empty()
    }

    /// The options of client `id` when it has tracking on.
    pub fn get(&self, id: u64) -> Option<&ClientTracking> {
        self.clients.get(&id)
    }

    /// Ids of the clients with tracking on, ascending.
    pub fn client_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self.clients.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// Number of clients with tracking on (`tracking_clients`).
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// Number of keys in the table (`tracking_total_keys`).
    pub fn total_keys(&self) -> usize {
        self.keys.len()
    }

    /// Number of (key, client) pairs (`tracking_total_items`).
    pub fn total_items(&self) -> usize {
        self.items
    }

    /// Number of broadcast prefixes (`tracking_total_prefixes`).
    pub fn total_prefixes(&self) -> usize {
        self.prefixes.len()
    }

    /// Turns tracking on (or updates it) for client `id`: options are replaced, broadcast prefixes
    /// added (`""` when `BCAST` names none), the `CLIENT CACHING` state kept.
    pub fn enable(&mut self, id: u64, opts: ClientTracking, new_prefixes: &[Vec<u8>]) {
        let old = self.clients.remove(&id).unwrap_or_default();
        let mut c = ClientTracking {
            caching: old.caching,
            prefixes: old.prefixes,
            ..opts
        };
        if c.bcast {
            let empty = [Vec::new()];
            let list = if new_prefixes.is_empty() {
                &empty[..]
            } else {
                new_prefixes
            };
            for p in list {
                if c.prefixes.insert(p.clone()) {
                    self.prefixes.entry(p.clone()).or_default().clients.push(id);
                }
            }
        }
        self.clients.insert(id, c);
    }

    /// Turns tracking off for client `id` (its keys stay in the table until written or flushed).
    pub fn disable(&mut self, id: u64) {
        let Some(c) = self.clients.remove(&id) else {
            return;
        };
        for p in &c.prefixes {
            if let Some(state) = self.prefixes.get_mut(p) {
                state.clients.retain(|&x| x != id);
                if state.clients.is_empty() {
                    self.prefixes.remove(p);
                }
            }
        }
    }

    /// Sets or clears client `id`'s `CLIENT CACHING` state.
    pub fn set_caching(&mut self, id: u64, on: bool) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.caching = on;
        }
    }

    /// Marks client `id`'s redirection as broken.
    pub fn set_broken(&mut self, id: u64) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.broken = true;
        }
    }

    /// Remembers that client `id` read `key`.
    pub fn remember(&mut self, key: &[u8], id: u64) {
        let ids = match self.keys.get_mut(key) {
            Some(ids) => ids,
            None => self.keys.entry(key.into()).or_default(),
        };
        let order = |x: &u64| x.swap_bytes();
        if let Err(at) = ids.binary_search_by_key(&order(&id), order) {
            ids.insert(at, id);
            self.items += 1;
        }
    }

    /// Removes `key` from the table, returning the ids that had read it.
    pub fn take_key(&mut self, key: &[u8]) -> Option<Vec<u64>> {
        let ids = self.keys.swap_remove(key)?;
        self.items -= ids.len();
        Some(ids)
    }

    /// A key of the table picked at random (for `tracking-table-max-keys`).
    pub fn random_key(&self) -> Option<Key> {
        if self.keys.is_empty() {
            return None;
        }
        let i = crate::db::random_index(self.keys.len());
        self.keys.get_index(i).map(|(k, _)| k.clone())
    }

    /// Forgets every tracked key (after a flush).
    pub fn clear_keys(&mut self) {
        self.keys = IndexMap::default();
        self.items = 0;
    }

    /// Records a write of `key` by client `writer` under every matching broadcast prefix.
    pub fn note_broadcast(&mut self, key: &[u8], writer: u64) {
        for (p, state) in self.prefixes.iter_mut() {
            if key.starts_with(p) {
                state.keys.insert(key.into(), writer);
            }
        }
    }

    /// Takes the keys written under each prefix since the last call, in prefix order (empty batches
    /// left out).
    pub fn take_batches(&mut self) -> Vec<Batch> {
        let mut out = Vec::new();
        for state in self.prefixes.values_mut() {
            if !state.keys.is_empty() {
                out.push(Batch {
                    clients: state.clients.clone(),
                    keys: std::mem::take(&mut state.keys),
                });
            }
        }
        out
    }
}

/// True when one of `a` and `b` is a prefix of the other (they would invalidate the same keys).
pub fn overlaps(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_items_and_lazy_removal() {
        let mut t = Tracking::default();
        t.enable(3, ClientTracking::default(), &[]);
        t.remember(b"k", 3);
        t.remember(b"k", 3);
        t.remember(b"k", 256);
        t.remember(b"j", 3);
        assert_eq!((t.total_keys(), t.total_items()), (2, 3));
        assert_eq!(t.take_key(b"k"), Some(vec![256, 3]));
        assert_eq!((t.total_keys(), t.total_items()), (1, 1));
        t.disable(3);
        assert_eq!(t.total_keys(), 1);
    }

    #[test]
    fn broadcast_batches_in_prefix_and_key_order() {
        let mut t = Tracking::default();
        let bcast = ClientTracking {
            bcast: true,
            ..ClientTracking::default()
        };
        t.enable(1, bcast.clone(), &[b"b".to_vec(), b"a".to_vec()]);
        t.enable(2, bcast, &[]);
        assert_eq!(t.total_prefixes(), 3);
        for k in ["b2", "a1", "c", "a0"] {
            t.note_broadcast(k.as_bytes(), 9);
        }
        let batches = t.take_batches();
        let keys: Vec<Vec<&[u8]>> = batches
            .iter()
            .map(|b| b.keys.keys().map(|k| &k[..]).collect())
            .collect();
        assert_eq!(
            keys,
            vec![
                vec![&b"a0"[..], b"a1", b"b2", b"c"],
                vec![&b"a0"[..], b"a1"],
                vec![&b"b2"[..]]
            ]
        );
        t.disable(1);
        assert_eq!(t.total_prefixes(), 1);
    }
}
