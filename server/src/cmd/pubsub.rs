//! Pub/sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB, and [`publish`], the
//! delivery used by PUBLISH and keyspace notifications. Key decision: messages are written straight
//! into each subscriber's output buffer (as RESP3 push or RESP2 array, per subscriber), subject to the
//! `pubsub` output buffer limit, so a slow subscriber costs memory up to its limit and is then closed;
//! the publisher never waits.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{CmdResult, Ctx};
use crate::db::glob::glob_match;
use crate::net::client::ClientState;
use crate::pubsub::{Kind, Subscriber};
use crate::resp::Reply;
use crate::server::Server;

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("pubsub"; $($entry)*)
    };
}

const NONE: (i32, i32, i32) = (0, 0, 0);

#[rustfmt::skip]
static PUBSUB_SUBCOMMANDS: &[Command] = &[
    cmd!("channels", -2, "pubsub loading stale", NONE, "pubsub slow", "2.8.0", "List active channels", "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)", pubsub_channels),
    cmd!("help", 2, "loading stale", NONE, "slow", "6.2.0", "Show helpful text about the different subcommands", "O(1)", pubsub_help),
    cmd!("numpat", 2, "pubsub loading stale", NONE, "pubsub slow", "2.8.0", "Get the count of unique patterns pattern subscriptions", "O(1)", pubsub_numpat),
    cmd!("numsub", -2, "pubsub loading stale", NONE, "pubsub slow", "2.8.0", "Get the count of subscribers for channels", "O(N) for the NUMSUB subcommand, where N is the number of requested channels", pubsub_numsub),
    cmd!("shardchannels", -2, "pubsub loading stale", NONE, "pubsub slow", "7.0.0", "List active shard channels", "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).", pubsub_shardchannels),
    cmd!("shardnumsub", -2, "pubsub loading stale", NONE, "pubsub slow", "7.0.0", "Get the count of subscribers for shard channels", "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels", pubsub_shardnumsub),
];

/// The pub/sub commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("subscribe", -2, "pubsub noscript loading stale", NONE, "pubsub slow", "2.0.0", "Listen for messages published to the given channels", "O(N) where N is the number of channels to subscribe to.", subscribe),
    cmd!("unsubscribe", -1, "pubsub noscript loading stale", NONE, "pubsub slow", "2.0.0", "Stop listening for messages posted to the given channels", "O(N) where N is the number of clients already subscribed to a channel.", unsubscribe),
    cmd!("psubscribe", -2, "pubsub noscript loading stale", NONE, "pubsub slow", "2.0.0", "Listen for messages published to channels matching the given patterns", "O(N) where N is the number of patterns the client is already subscribed to.", psubscribe),
    cmd!("punsubscribe", -1, "pubsub noscript loading stale", NONE, "pubsub slow", "2.0.0", "Stop listening for messages posted to channels matching the given patterns", "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).", punsubscribe),
    cmd!("ssubscribe", -2, "pubsub noscript loading stale", (1, -1, 1), "pubsub slow", "7.0.0", "Listen for messages published to the given shard channels", "O(N) where N is the number of shard channels to subscribe to.", ssubscribe),
    cmd!("sunsubscribe", -1, "pubsub noscript loading stale", (1, -1, 1), "pubsub slow", "7.0.0", "Stop listening for messages posted to the given shard channels", "O(N) where N is the number of clients already subscribed to a shard channel.", sunsubscribe),
    cmd!("publish", 3, "pubsub loading stale fast", NONE, "pubsub fast", "2.0.0", "Post a message to a channel", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).", publish_cmd),
    cmd!("spublish", 3, "pubsub loading stale fast", (1, 1, 1), "pubsub fast", "7.0.0", "Post a message to a shard channel", "O(N) where N is the number of clients subscribed to the receiving shard channel.", spublish),
    Command {
        name: "pubsub",
        arity: -2,
        acl: "slow",
        group: "pubsub",
        since: "2.8.0",
        summary: "A container for Pub/Sub commands",
        complexity: "Depends on subcommand.",
        subcommands: PUBSUB_SUBCOMMANDS,
        ..Command::DEFAULT
    },
];

/// Commands a RESP2 client may run while subscribed.
const ALLOWED_IN_CONTEXT: &[&str] = &[
    "ping",
    "subscribe",
    "ssubscribe",
    "sunsubscribe",
    "unsubscribe",
    "psubscribe",
    "punsubscribe",
    "quit",
    "reset",
];

/// Refuses commands a subscribed RESP2 client may not run, with Redis's error.
pub fn check_context(cx: &Ctx, name: &str, sub: &str) -> Result<(), CmdError> {
    if cx.out.resp3 || !cx.client.subs.active() || ALLOWED_IN_CONTEXT.contains(&name) {
        return Ok(());
    }
    let full = if sub.is_empty() {
        name.to_string()
    } else {
        format!("{name}|{sub}")
    };
    Err(CmdError::owned(format!(
        "ERR Can't execute '{full}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    )))
}

/// `[kind, name, count]` confirmation as a push.
fn confirm(out: &mut Reply, kind: &str, name: Option<&[u8]>, count: usize) {
    out.push(3);
    out.bulk(kind.as_bytes());
    out.bulk_opt(name);
    out.int(count as i64);
}

fn set_of(c: &mut ClientState, kind: Kind) -> &mut indexmap::IndexSet<Vec<u8>, crate::db::Hasher> {
    match kind {
        Kind::Channel => &mut c.subs.channels,
        Kind::Pattern => &mut c.subs.patterns,
        Kind::Shard => &mut c.subs.shard,
    }
}

fn count_for(c: &ClientState, kind: Kind) -> usize {
    match kind {
        Kind::Shard => c.subs.shard.len(),
        _ => c.subs.count(),
    }
}

fn subscribe_generic(cx: &mut Ctx, args: &[Vec<u8>], kind: Kind, word: &str) -> CmdResult {
    let who = (cx.client.id, cx.client.slot);
    for name in &args[1..] {
        if set_of(cx.client, kind).insert(name.clone()) {
            cx.server.pubsub.add(kind, name, who);
        }
        let n = count_for(cx.client, kind);
        confirm(cx.out, word, Some(name), n);
    }
    Ok(())
}

/// Removes one subscription of `client`; true when it existed.
fn drop_one(server: &mut Server, client: &mut ClientState, kind: Kind, name: &[u8]) -> bool {
    let existed = set_of(client, kind).shift_remove(name);
    if existed {
        server.pubsub.remove(kind, name, client.id);
    }
    existed
}

fn unsubscribe_generic(cx: &mut Ctx, args: &[Vec<u8>], kind: Kind, word: &str) -> CmdResult {
    let names: Vec<Vec<u8>> = if args.len() > 1 {
        args[1..].to_vec()
    } else {
        set_of(cx.client, kind).iter().cloned().collect()
    };
    if names.is_empty() {
        let n = count_for(cx.client, kind);
        confirm(cx.out, word, None, n);
        return Ok(());
    }
    for name in &names {
        drop_one(cx.server, cx.client, kind, name);
        let n = count_for(cx.client, kind);
        confirm(cx.out, word, Some(name), n);
    }
    Ok(())
}

/// Drops every subscription of a client (connection closed, `RESET`).
pub fn unsubscribe_all(server: &mut Server, client: &mut ClientState) {
    for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
        let names: Vec<Vec<u8>> = set_of(client, kind).iter().cloned().collect();
        for name in names {
            drop_one(server, client, kind, &name);
        }
    }
}

fn subscribe(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    subscribe_generic(cx, args, Kind::Channel, "subscribe")
}

fn psubscribe(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    subscribe_generic(cx, args, Kind::Pattern, "psubscribe")
}

fn ssubscribe(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    subscribe_generic(cx, args, Kind::Shard, "ssubscribe")
}

fn unsubscribe(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    unsubscribe_generic(cx, args, Kind::Channel, "unsubscribe")
}

fn punsubscribe(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    unsubscribe_generic(cx, args, Kind::Pattern, "punsubscribe")
}

fn sunsubscribe(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    unsubscribe_generic(cx, args, Kind::Shard, "sunsubscribe")
}

/// Publishes `msg` on `channel` (a shard channel when `shard`) to its subscribers and, for plain
/// channels, to the clients whose patterns match; returns the number of receivers.
pub fn publish(cx: &mut Ctx, channel: &[u8], msg: &[u8], shard: bool) -> usize {
    let (kind, word): (Kind, &[u8]) = if shard {
        (Kind::Shard, b"smessage")
    } else {
        (Kind::Channel, b"message")
    };
    let direct = cx.server.pubsub.subscribers(kind, channel).to_vec();
    let mut receivers = direct.len();
    for (id, slot) in direct {
        super::send_to(cx, slot, id, |out| {
            out.push(3);
            out.bulk(word);
            out.bulk(channel);
            out.bulk(msg);
        });
    }
    if shard || cx.server.pubsub.pattern_count() == 0 {
        return receivers;
    }
    let matched: Vec<(Vec<u8>, Vec<Subscriber>)> = cx
        .server
        .pubsub
        .matching_patterns(channel)
        .map(|(p, s)| (p.to_vec(), s.to_vec()))
        .collect();
    for (pattern, subs) in matched {
        receivers += subs.len();
        for (id, slot) in subs {
            super::send_to(cx, slot, id, |out| {
                out.push(4);
                out.bulk(b"pmessage");
                out.bulk(&pattern);
                out.bulk(channel);
                out.bulk(msg);
            });
        }
    }
    receivers
}

fn publish_cmd(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let n = publish(cx, &args[1], &args[2], false);
    cx.out.int(n as i64);
    Ok(())
}

fn spublish(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let n = publish(cx, &args[1], &args[2], true);
    cx.out.int(n as i64);
    Ok(())
}

fn channels_generic(cx: &mut Ctx, args: &[Vec<u8>], kind: Kind) -> CmdResult {
    if args.len() > 3 {
        return Err(errors::subcommand_syntax(&args[1], "pubsub"));
    }
    let pattern = args.get(2);
    let names: Vec<Vec<u8>> = cx
        .server
        .pubsub
        .names(kind)
        .filter(|n| pattern.is_none_or(|p| glob_match(p, n, false)))
        .cloned()
        .collect();
    cx.out.array(names.len());
    for n in &names {
        cx.out.bulk(n);
    }
    Ok(())
}

fn numsub_generic(cx: &mut Ctx, args: &[Vec<u8>], kind: Kind) -> CmdResult {
    cx.out.array((args.len() - 2) * 2);
    for name in &args[2..] {
        let n = cx.server.pubsub.subscribers(kind, name).len();
        cx.out.bulk(name);
        cx.out.int(n as i64);
    }
    Ok(())
}

fn pubsub_channels(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    channels_generic(cx, args, Kind::Channel)
}

fn pubsub_shardchannels(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    channels_generic(cx, args, Kind::Shard)
}

fn pubsub_numsub(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    numsub_generic(cx, args, Kind::Channel)
}

fn pubsub_shardnumsub(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    numsub_generic(cx, args, Kind::Shard)
}

fn pubsub_numpat(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.int(cx.server.pubsub.pattern_count() as i64);
    Ok(())
}

fn pubsub_help(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let lines = [
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.simple_lines(&lines);
    Ok(())
}
