//! Active expiry: a periodic cycle that samples keys carrying a TTL and deletes the expired ones, so
//! keys vanish even when never accessed again (lazy expiry on access lives in [`super::Db`]). Key
//! decision: Redis's adaptive loop — keep sampling a database while more than a quarter of a sample
//! was expired, within a time budget.

use super::{clock, random_index, Db};
use std::time::{Duration, Instant};

/// Keys sampled per round.
const SAMPLE: usize = 20;

impl Db {
    /// Samples up to [`SAMPLE`] volatile keys and deletes the expired ones; returns (sampled, expired).
    fn expire_round(&mut self) -> (usize, usize) {
        let now = clock::now_ms();
        let n = self.volatile.len().min(SAMPLE);
        let mut expired = 0;
        for _ in 0..n {
            if self.volatile.is_empty() {
                break;
            }
            let i = random_index(self.volatile.len());
            let Some((key, &at)) = self.volatile.get_index(i) else {
                break;
            };
            if at < now {
                let key = key.clone();
                self.expire_key(&key);
                expired += 1;
            }
        }
        (n, expired)
    }
}

/// Runs one active expiry cycle over all databases within `budget`; returns keys deleted.
pub fn active_expire_cycle(dbs: &mut [Db], budget: Duration) -> usize {
    let start = Instant::now();
    let mut total = 0;
    for db in dbs.iter_mut() {
        loop {
            let (sampled, expired) = db.expire_round();
            total += expired;
            if sampled == 0 || expired * 4 <= sampled || start.elapsed() > budget {
                break;
            }
        }
        if start.elapsed() > budget {
            break;
        }
    }
    total
}
