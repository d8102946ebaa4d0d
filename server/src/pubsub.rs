//! The pub/sub registry: which clients listen to which channels, patterns and shard channels, and each
//! client's own view of its subscriptions. Key decision: subscribers are recorded as (client id, slot)
//! so a publish reaches a connection with one index into `Server::clients` (the id guards against a
//! reused slot); lists keep subscription order, which is the order messages are delivered in.

use crate::db::Hasher;
use indexmap::{IndexMap, IndexSet};

/// A subscriber: client id and its slot in `Server::clients`.
pub type Subscriber = (u64, usize);

/// One client's subscriptions, in subscription order.
#[derive(Debug, Default)]
pub struct Subscriptions {
    /// `SUBSCRIBE` channels.
    pub channels: IndexSet<Vec<u8>, Hasher>,
    /// `PSUBSCRIBE` patterns.
    pub patterns: IndexSet<Vec<u8>, Hasher>,
    /// `SSUBSCRIBE` shard channels.
    pub shard: IndexSet<Vec<u8>, Hasher>,
}

impl Subscriptions {
    /// Channels plus patterns: the count SUBSCRIBE/PSUBSCRIBE and their opposites reply with.
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }

    /// True when subscribed to anything (the client is in the pub/sub context).
    pub fn active(&self) -> bool {
        self.count() + self.shard.len() > 0
    }
}

/// Which registry a subscription lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `SUBSCRIBE` channels.
    Channel,
    /// `PSUBSCRIBE` patterns.
    Pattern,
    /// `SSUBSCRIBE` shard channels.
    Shard,
}

/// Every subscription on the server.
#[derive(Debug, Default)]
pub struct PubSub {
    channels: IndexMap<Vec<u8>, Vec<Subscriber>, Hasher>,
    patterns: IndexMap<Vec<u8>, Vec<Subscriber>, Hasher>,
    shard: IndexMap<Vec<u8>, Vec<Subscriber>, Hasher>,
}

impl PubSub {
    fn map(&self, kind: Kind) -> &IndexMap<Vec<u8>, Vec<Subscriber>, Hasher> {
        match kind {
            Kind::Channel => &self.channels,
            Kind::Pattern => &self.patterns,
            Kind::Shard => &self.shard,
        }
    }

    fn map_mut(&mut self, kind: Kind) -> &mut IndexMap<Vec<u8>, Vec<Subscriber>, Hasher> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard,
        }
    }

    /// Adds a subscriber (the caller checked it was not subscribed yet).
    pub fn add(&mut self, kind: Kind, name: &[u8], who: Subscriber) {
        self.map_mut(kind)
            .entry(name.to_vec())
            .or_default()
            .push(who);
    }

    /// Removes a subscriber.
    pub fn remove(&mut self, kind: Kind, name: &[u8], id: u64) {
        let map = self.map_mut(kind);
        if let Some(list) = map.get_mut(name) {
            list.retain(|s| s.0 != id);
            if list.is_empty() {
                map.swap_remove(name);
            }
        }
    }

    /// Subscribers of exactly `name`.
    pub fn subscribers(&self, kind: Kind, name: &[u8]) -> &[Subscriber] {
        self.map(kind).get(name).map_or(&[], Vec::as_slice)
    }

    /// Patterns matching `channel` with their subscribers.
    pub fn matching_patterns<'a>(
        &'a self,
        channel: &'a [u8],
    ) -> impl Iterator<Item = (&'a [u8], &'a [Subscriber])> + 'a {
        self.patterns
            .iter()
            .filter(move |(p, _)| crate::db::glob::glob_match(p, channel, false))
            .map(|(p, s)| (p.as_slice(), s.as_slice()))
    }

    /// Names with at least one subscriber (channels or shard channels).
    pub fn names(&self, kind: Kind) -> impl Iterator<Item = &Vec<u8>> {
        self.map(kind).keys()
    }

    /// Number of distinct patterns (`PUBSUB NUMPAT`).
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Number of channels with subscribers.
    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }
}
