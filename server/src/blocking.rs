//! The registry of clients blocked on keys (`BLPOP`, `BZPOPMIN`, `BLMOVE`...): per (database, key) the
//! waiting clients in the order they blocked, and every deadline in time order. Key decision: a woken
//! client re-runs its own command (kept in [`Blocked::argv`]) through the normal handler, so a served
//! `BLPOP` replies and propagates exactly like `LPOP`; the keyspace only marks keys ready (see
//! `db::hooks`), and `crate::cmd::blocking` serves them after each top-level command.

use crate::db::{Hasher, Key};
use std::collections::{BTreeSet, HashMap, VecDeque};

/// The value type a blocked command waits for: a write making the key hold another type does not
/// wake it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitFor {
    /// A list (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP).
    List,
    /// A sorted set (BZPOPMIN BZPOPMAX BZMPOP).
    ZSet,
}

/// What a blocked client waits in.
#[derive(Debug, Clone)]
pub struct Blocked {
    /// Database of the keys.
    pub db: usize,
    /// Keys waited on.
    pub keys: Vec<Key>,
    /// The command, re-run when one of the keys is ready.
    pub argv: Vec<Vec<u8>>,
    /// Unix ms after which the client times out; 0 waits forever.
    pub deadline_ms: i64,
    /// Expected value type.
    pub wait_for: WaitFor,
}

/// A waiting client: id and slot in `Server::clients`.
pub type Waiter = (u64, usize);

/// Every blocked client, by key and by deadline.
#[derive(Debug, Default)]
pub struct Waiting {
    queues: HashMap<(usize, Key), VecDeque<Waiter>, Hasher>,
    deadlines: BTreeSet<(i64, u64, usize)>,
    /// Number of blocked clients (`INFO clients` blocked_clients).
    pub count: usize,
}

impl Waiting {
    /// Registers a client blocked on `b.keys`.
    pub fn add(&mut self, who: Waiter, b: &Blocked) {
        for k in &b.keys {
            let q = self.queues.entry((b.db, k.clone())).or_default();
            if !q.contains(&who) {
                q.push_back(who);
            }
        }
        if b.deadline_ms > 0 {
            self.deadlines.insert((b.deadline_ms, who.0, who.1));
        }
        self.count += 1;
    }

    /// Forgets a blocked client.
    pub fn remove(&mut self, who: Waiter, b: &Blocked) {
        for k in &b.keys {
            let qk = (b.db, k.clone());
            if let Some(q) = self.queues.get_mut(&qk) {
                q.retain(|w| w.0 != who.0);
                if q.is_empty() {
                    self.queues.remove(&qk);
                }
            }
        }
        if b.deadline_ms > 0 {
            self.deadlines.remove(&(b.deadline_ms, who.0, who.1));
        }
        self.count = self.count.saturating_sub(1);
    }

    /// Clients waiting on `key` of `db`, first blocked first.
    pub fn waiters(&self, db: usize, key: &[u8]) -> Vec<Waiter> {
        self.queues
            .get(&(db, Key::from(key)))
            .map(|q| q.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Clients whose deadline is at or before `now_ms`.
    pub fn expired(&self, now_ms: i64) -> Vec<Waiter> {
        self.deadlines
            .iter()
            .take_while(|d| d.0 <= now_ms)
            .map(|d| (d.1, d.2))
            .collect()
    }

    /// The earliest deadline, if any client waits with a timeout.
    pub fn next_deadline(&self) -> Option<i64> {
        self.deadlines.first().map(|d| d.0)
    }
}
