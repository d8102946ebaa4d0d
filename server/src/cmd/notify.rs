//! Keyspace notifications: the `notify-keyspace-events` flag string and the publishing of the events
//! handlers raise with `db.notify(class, "event", key)`. Key decision: handlers only queue events in
//! their database (a no-op unless the class is enabled); they are published in order after the command
//! to `__keyspace@<db>__:<key>` and `__keyevent@<db>__:<event>`, like Redis's `notifyKeyspaceEvent`.

use super::Ctx;
use crate::db::hooks::class::*;

/// Class flag characters, in the order Redis prints them when the mask is not all of `A`.
const FLAGS: &[(char, u32)] = &[
    ('g', GENERIC),
    ('$', STRING),
    ('l', LIST),
    ('s', SET),
    ('h', HASH),
    ('z', ZSET),
    ('x', EXPIRED),
    ('e', EVICTED),
    ('t', STREAM),
    ('d', MODULE),
    ('n', NEW),
];

/// Parses a `notify-keyspace-events` value; `None` on an unknown character.
pub fn parse_flags(text: &str) -> Option<u32> {
    let mut mask = 0;
    for c in text.chars() {
        mask |= match c {
            'A' => ALL,
            'K' => KEYSPACE,
            'E' => KEYEVENT,
            'm' => KEY_MISS,
            _ => FLAGS.iter().find(|f| f.0 == c)?.1,
        };
    }
    Some(mask)
}

/// The canonical text of a class mask, as `CONFIG GET notify-keyspace-events` shows it.
pub fn flags_to_string(mask: u32) -> String {
    let mut s = String::new();
    if mask & ALL == ALL {
        s.push('A');
    } else {
        s.extend(FLAGS.iter().filter(|f| mask & f.1 != 0).map(|f| f.0));
    }
    for (c, bit) in [('K', KEYSPACE), ('E', KEYEVENT), ('m', KEY_MISS)] {
        if mask & bit != 0 {
            s.push(c);
        }
    }
    s
}

/// Publishes the events queued in every database.
pub fn publish_events(cx: &mut Ctx) {
    for dbi in 0..cx.server.dbs.len() {
        if cx.server.dbs[dbi].hooks.events.is_empty() {
            continue;
        }
        let events = std::mem::take(&mut cx.server.dbs[dbi].hooks.events);
        let mask = cx.server.dbs[dbi].hooks.notify_mask;
        for (_, event, key) in events {
            if mask & KEYSPACE != 0 {
                let mut ch = format!("__keyspace@{dbi}__:").into_bytes();
                ch.extend_from_slice(&key);
                super::pubsub::publish(cx, &ch, event.as_bytes(), false);
            }
            if mask & KEYEVENT != 0 {
                let ch = format!("__keyevent@{dbi}__:{event}");
                super::pubsub::publish(cx, ch.as_bytes(), &key, false);
            }
        }
    }
}
