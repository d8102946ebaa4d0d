//! Client-side caching: `CLIENT TRACKING|CACHING|GETREDIR|TRACKINGINFO`, and the delivery of
//! invalidation messages. Key decisions, as Redis 7.0: keys are remembered after each read-only command
//! for the top-level client running it (inside a script, the script's declared keys); each written key
//! is invalidated right after the command that wrote it ([`after_call`]), but a message about the
//! running client's own keys waits until its reply is complete ([`command_done`]), so it never lands
//! inside a reply (a transaction's or a script's included), while another client's message redirected
//! to it goes just ahead of the reply of the command that caused it;
//! broadcast (`BCAST`) messages collect the keys written under each prefix and go out once per
//! event-loop turn ([`broadcast`]). A message goes to the tracking client as a RESP3 push, or to its
//! redirect client (push in RESP3, `__redis__:invalidate` message when that client is a RESP2
//! subscriber); RESP2 without redirection gets nothing.

use super::errors::{self, CmdError};
use super::table::{flag, table, Command};
use super::{args, CmdResult, Ctx};
use crate::resp::Reply;
use crate::server::Server;
use crate::tracking::{overlaps, ClientTracking, Message, Payload};

const NOT_TRACKING: CmdError = CmdError::fixed(
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
);

/// The running client's output, for messages that can be written to it now.
struct Current<'a> {
    id: u64,
    out: &'a mut Reply,
    subscribed: bool,
}

/// Where a message goes: the running client, or a connection (slot, id).
#[derive(Debug, Clone, Copy)]
enum Dest {
    Current,
    Conn(usize, u64),
}

impl Dest {
    fn of(id: u64, slot: usize, cur: &Option<Current>) -> Dest {
        match cur {
            Some(c) if c.id == id => Dest::Current,
            _ => Dest::Conn(slot, id),
        }
    }
}

/// The protocol (RESP3?) and pub/sub state of `d`; `None` when the connection is gone.
fn info(server: &mut Server, cur: &Option<Current>, d: Dest) -> Option<(bool, bool)> {
    match (d, cur) {
        (Dest::Current, Some(c)) => Some((c.out.resp3, c.subscribed)),
        (Dest::Current, None) => None,
        (Dest::Conn(slot, id), _) => server
            .conn_mut(slot, id)
            .map(|c| (c.reply.resp3, c.state.subs.active())),
    }
}

fn write(server: &mut Server, cur: &mut Option<Current>, d: Dest, bytes: &[u8]) {
    match (d, cur) {
        (Dest::Current, Some(c)) => c.out.raw(bytes),
        (Dest::Current, None) => {}
        (Dest::Conn(slot, id), _) => server.send_to(slot, id, |out| out.raw(bytes)),
    }
}

/// The RESP value part of an invalidation (`*1 key`, null, or a broadcast array).
fn encode(payload: &Payload, resp3: bool) -> Vec<u8> {
    match payload {
        Payload::Key(k) => {
            let mut r = Reply::new();
            r.array(1);
            r.bulk(k);
            r.buf
        }
        Payload::Null if resp3 => b"_\r\n".to_vec(),
        Payload::Null => b"$-1\r\n".to_vec(),
        Payload::Encoded(b) => b.clone(),
    }
}

/// Sends `payload` on behalf of tracking client `id`, following its redirection (Redis's
/// `sendTrackingMessage`).
fn send(server: &mut Server, cur: &mut Option<Current>, id: u64, payload: &Payload) {
    let Some(tc) = server.tracking.get(id) else {
        return;
    };
    let (redirect, redirect_slot) = (tc.redirect, tc.redirect_slot);
    let own = Dest::of(id, tc.slot, cur);
    let Some((own_resp3, _)) = info(server, cur, own) else {
        return;
    };
    let body = encode(payload, own_resp3);
    let mut dest = own;
    if redirect != 0 {
        dest = Dest::of(redirect, redirect_slot, cur);
        if info(server, cur, dest).is_none() {
            server.tracking.set_broken(id);
            if own_resp3 {
                let mut r = Reply {
                    resp3: true,
                    ..Reply::default()
                };
                r.push(2);
                r.bulk(b"tracking-redir-broken");
                r.int(redirect as i64);
                write(server, cur, own, &r.buf);
            }
            return;
        }
    }
    let Some((resp3, subscribed)) = info(server, cur, dest) else {
        return;
    };
    let mut bytes: Vec<u8> = if resp3 {
        b">2\r\n$10\r\ninvalidate\r\n".to_vec()
    } else if redirect != 0 && subscribed {
        b"*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n".to_vec()
    } else {
        return;
    };
    bytes.extend_from_slice(&body);
    write(server, cur, dest, &bytes);
}

/// Sends now, or queues until the running client's reply is complete when the message is for it.
fn deliver(server: &mut Server, id: u64, payload: Payload) {
    let current = server.tracking.current;
    let Some(tc) = server.tracking.get(id) else {
        return;
    };
    if current != 0 && id == current {
        server.tracking.pending.push((id, payload));
        return;
    }
    if current != 0 && tc.redirect == current {
        server.tracking.redirected.push((id, payload));
        return;
    }
    send(server, &mut None, id, &payload);
}

/// A write of `key` by client `writer`: queues it for broadcast and invalidates it for every client
/// that read it (`trackingInvalidateKey`).
fn invalidate_key(server: &mut Server, key: &[u8], writer: u64, bcast: bool) {
    if bcast && server.tracking.total_prefixes() > 0 {
        server.tracking.note_broadcast(key, writer);
    }
    let Some(ids) = server.tracking.take_key(key) else {
        return;
    };
    let current = server.tracking.current;
    for id in ids {
        let skip = server
            .tracking
            .get(id)
            .is_none_or(|t| t.bcast || (t.noloop && id == current));
        if !skip {
            deliver(server, id, Payload::Key(key.into()));
        }
    }
}

/// What [`enter`] saved of an outer command (a client served while a slow script runs): the running
/// client and its queued messages.
pub struct Outer {
    current: u64,
    queued: Option<Box<[Vec<Message>; 2]>>,
}

/// A top-level command of client `id` starts: it becomes the running client.
#[inline]
pub fn enter(server: &mut Server, id: u64) -> Outer {
    let t = &mut server.tracking;
    let current = std::mem::replace(&mut t.current, id);
    let queued = (current != 0).then(|| {
        Box::new([
            std::mem::take(&mut t.pending),
            std::mem::take(&mut t.redirected),
        ])
    });
    Outer { current, queued }
}

/// The command started by [`enter`] is over.
#[inline]
pub fn leave(server: &mut Server, outer: Outer) {
    server.tracking.current = outer.current;
    if let Some(q) = outer.queued {
        let [pending, redirected] = *q;
        server.tracking.pending = pending;
        server.tracking.redirected = redirected;
    }
}

/// Invalidates the keys the databases recorded as written, on behalf of client `writer` (0: none).
pub fn process_writes(server: &mut Server, writer: u64) {
    while let Some(i) = server.dbs.iter().position(|d| !d.hooks.written.is_empty()) {
        let mut keys = std::mem::take(&mut server.dbs[i].hooks.written);
        for k in &keys {
            invalidate_key(server, k, writer, true);
        }
        keys.clear();
        let hooks = &mut server.dbs[i].hooks;
        if hooks.written.is_empty() {
            hooks.written = keys;
        }
    }
}

/// Keeps the databases recording written keys exactly while some invalidation may need them.
fn sync_recording(server: &mut Server) {
    let on = server.tracking.wants_writes();
    if server
        .dbs
        .first()
        .is_some_and(|d| d.hooks.record_writes != on)
    {
        for db in &mut server.dbs {
            db.hooks.record_writes = on;
            db.hooks.written.clear();
        }
    }
}

/// The key arguments of the call `argv`, found with the command's key specs.
fn key_args(argv: &[Vec<u8>]) -> Vec<&[u8]> {
    let Some(entry) = table().lookup(&argv[0]) else {
        return Vec::new();
    };
    let sub = argv.get(1).and_then(|s| entry.cmd.subcommand(s));
    let keys = super::docs::get_keys(entry.cmd, sub, argv).unwrap_or_default();
    keys.iter()
        .filter_map(|k| argv.get(k.pos).map(Vec::as_slice))
        .collect()
}

/// After a read-only command: remembers its keys for the top-level client running (Redis's
/// `trackingRememberKeys`; inside a script, the script's declared keys).
fn remember_read(cx: &mut Ctx, top: &Command, cmd: &Command, argv: &[Vec<u8>]) {
    let current = cx.server.tracking.current;
    let Some(tc) = cx.server.tracking.get(current) else {
        return;
    };
    if tc.bcast || cmd.flag_bits() & flag::READONLY == 0 {
        return;
    }
    if matches!(top.name, "eval_ro" | "evalsha_ro" | "fcall_ro") {
        return;
    }
    if (tc.optin && !tc.caching) || (tc.optout && tc.caching) {
        return;
    }
    let caller;
    let call = if cx.client.script {
        match &cx.server.scripting.running {
            Some(r) => {
                caller = r.command.clone();
                &caller[..]
            }
            None => return,
        }
    } else {
        argv
    };
    for key in key_args(call) {
        cx.server.tracking.remember(key, current);
    }
}

/// After each command (top-level, in `EXEC` or from a script) whose reply starts at `mark`:
/// invalidates the keys it wrote, then remembers the keys it read.
pub fn after_call(cx: &mut Ctx, top: &Command, cmd: &Command, argv: &[Vec<u8>], mark: usize) {
    process_writes(cx.server, cx.client.id);
    if !cx.client.script && !cx.server.tracking.redirected.is_empty() {
        let mut ahead = Reply {
            resp3: cx.out.resp3,
            ..Reply::default()
        };
        flush(cx, Queue::Redirected, &mut ahead);
        cx.out.buf.splice(mark..mark, ahead.buf);
    }
    remember_read(cx, top, cmd, argv);
    sync_recording(cx.server);
}

/// The two queues of messages for the running client.
#[derive(Debug, Clone, Copy)]
enum Queue {
    Pending,
    Redirected,
}

/// Sends one queue of messages for the running client into `out` (its reply buffer, or bytes to
/// insert into it).
fn flush(cx: &mut Ctx, queue: Queue, out: &mut Reply) {
    let t = &mut cx.server.tracking;
    let messages = std::mem::take(match queue {
        Queue::Pending => &mut t.pending,
        Queue::Redirected => &mut t.redirected,
    });
    let mut cur = Some(Current {
        id: cx.client.id,
        subscribed: cx.client.subs.active(),
        out,
    });
    for (id, payload) in messages {
        send(cx.server, &mut cur, id, &payload);
    }
}

/// Sends every queued message for the running client at the end of its reply buffer.
fn flush_pending(cx: &mut Ctx) {
    let mut out = Reply {
        resp3: cx.out.resp3,
        ..Reply::default()
    };
    flush(cx, Queue::Redirected, &mut out);
    flush(cx, Queue::Pending, &mut out);
    cx.out.raw(&out.buf);
}

/// Before a top-level command: keeps the key table within `tracking-table-max-keys` (messages for
/// this client are written at once, ahead of its reply).
pub fn before_command(cx: &mut Ctx) {
    if cx.server.tracking.client_count() > 0 {
        limit_keys(cx.server);
        let t = &cx.server.tracking;
        if !t.pending.is_empty() || !t.redirected.is_empty() {
            flush_pending(cx);
        }
    }
}

/// After a top-level command and its replies: sends the invalidations held for this client, and
/// ends a `CLIENT CACHING` state unless a transaction is open or the command was `CLIENT`.
pub fn command_done(cx: &mut Ctx, argv: &[Vec<u8>]) {
    let t = &cx.server.tracking;
    if !t.pending.is_empty() || !t.redirected.is_empty() {
        flush_pending(cx);
    }
    if cx.client.multi.is_none() && !args::is(&argv[0], "client") {
        cx.server.tracking.set_caching(cx.client.id, false);
    }
}

/// FLUSHDB/FLUSHALL: tells every tracking client that all keys are invalid (a null), and forgets the
/// tracked keys.
pub fn on_flush(server: &mut Server) {
    for id in server.tracking.client_ids() {
        deliver(server, id, Payload::Null);
    }
    server.tracking.clear_keys();
    sync_recording(server);
}

/// Once per event-loop turn: sends each broadcast prefix's written keys to its clients (one array
/// per prefix, without a `NOLOOP` client's own writes).
pub fn broadcast(server: &mut Server) {
    if server.tracking.total_prefixes() == 0 {
        return;
    }
    for batch in server.tracking.take_batches() {
        let common = encode_keys(batch.keys.keys().map(|k| &k[..]));
        for id in batch.clients {
            let noloop = server.tracking.get(id).is_some_and(|t| t.noloop);
            let payload = if noloop {
                let own: Vec<&[u8]> = batch
                    .keys
                    .iter()
                    .filter(|(_, &w)| w != id)
                    .map(|(k, _)| &k[..])
                    .collect();
                if own.is_empty() {
                    continue;
                }
                encode_keys(own.into_iter())
            } else {
                common.clone()
            };
            deliver(server, id, Payload::Encoded(payload));
        }
    }
}

fn encode_keys<'a>(keys: impl ExactSizeIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut r = Reply::new();
    r.array(keys.len());
    for k in keys {
        r.bulk(k);
    }
    r.buf
}

/// Evicts random keys (invalidating them) while the table is over `tracking-table-max-keys`, with an
/// effort that grows each time the limit could not be met (`trackingLimitUsedSlots`).
pub fn limit_keys(server: &mut Server) {
    let max = server.config.int(crate::config::D::tracking_table_max_keys);
    if max <= 0 || server.tracking.total_keys() as i64 <= max {
        server.tracking.limit_misses = 0;
        return;
    }
    let mut effort = 100 * (server.tracking.limit_misses + 1);
    while effort > 0 {
        effort -= 1;
        let Some(key) = server.tracking.random_key() else {
            break;
        };
        invalidate_key(server, &key, 0, false);
        if server.tracking.total_keys() as i64 <= max {
            server.tracking.limit_misses = 0;
            sync_recording(server);
            return;
        }
    }
    server.tracking.limit_misses += 1;
    sync_recording(server);
}

/// A client closed or was reset: its tracking ends.
pub fn disable(server: &mut Server, id: u64) {
    server.tracking.disable(id);
    sync_recording(server);
}

/// Parsed `CLIENT TRACKING` options.
struct Options {
    redirect: Option<(u64, usize)>,
    bcast: bool,
    optin: bool,
    optout: bool,
    noloop: bool,
    prefixes: Vec<Vec<u8>>,
}

/// The slot of client `id` (the running one included).
fn slot_of(cx: &Ctx, id: u64) -> Option<usize> {
    if id == cx.client.id {
        return Some(cx.client.slot);
    }
    cx.server
        .clients
        .iter()
        .flatten()
        .find(|c| c.state.id == id)
        .map(|c| c.state.slot)
}

fn parse_options(cx: &Ctx, args: &[Vec<u8>]) -> Result<Options, CmdError> {
    let mut o = Options {
        redirect: None,
        bcast: false,
        optin: false,
        optout: false,
        noloop: false,
        prefixes: Vec::new(),
    };
    let mut j = 3;
    while j < args.len() {
        let more = j + 1 < args.len();
        let a = &args[j];
        if args::is(a, "redirect") && more {
            j += 1;
            if o.redirect.is_some() {
                return Err(CmdError::fixed(
                    "ERR A client can only redirect to a single other client",
                ));
            }
            let id = args::int(&args[j])?;
            let found = u64::try_from(id)
                .ok()
                .and_then(|id| Some((id, slot_of(cx, id)?)));
            o.redirect = Some(found.ok_or(CmdError::fixed(
                "ERR The client ID you want redirect to does not exist",
            ))?);
        } else if args::is(a, "bcast") {
            o.bcast = true;
        } else if args::is(a, "optin") {
            o.optin = true;
        } else if args::is(a, "optout") {
            o.optout = true;
        } else if args::is(a, "noloop") {
            o.noloop = true;
        } else if args::is(a, "prefix") && more {
            j += 1;
            o.prefixes.push(args[j].clone());
        } else {
            return Err(errors::SYNTAX);
        }
        j += 1;
    }
    Ok(o)
}

/// The first prefix overlap, as Redis words it: with a prefix the client has, or within the list.
fn prefix_collision(existing: Option<&ClientTracking>, new: &[Vec<u8>]) -> Result<(), CmdError> {
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (i, p) in new.iter().enumerate() {
        let have = existing.into_iter().flat_map(|t| t.prefixes.iter());
        if let Some(e) = have.into_iter().find(|e| overlaps(e, p)) {
            return Err(CmdError::owned(format!(
                "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                s(p),
                s(e)
            )));
        }
        if let Some(q) = new[i + 1..].iter().find(|q| overlaps(p, q)) {
            return Err(CmdError::owned(format!(
                "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                s(p),
                s(q)
            )));
        }
    }
    Ok(())
}

/// The checks of `CLIENT TRACKING ON` against the options and the client's current mode.
fn check_on(old: Option<&ClientTracking>, o: &Options) -> Result<(), CmdError> {
    if !o.bcast && !o.prefixes.is_empty() {
        return Err(CmdError::fixed(
            "ERR PREFIX option requires BCAST mode to be enabled",
        ));
    }
    if old.is_some_and(|t| t.bcast != o.bcast) {
        return Err(CmdError::fixed("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."));
    }
    if o.bcast && (o.optin || o.optout) {
        return Err(CmdError::fixed(
            "ERR OPTIN and OPTOUT are not compatible with BCAST",
        ));
    }
    if o.optin && o.optout {
        return Err(CmdError::fixed(
            "ERR You can't specify both OPTIN mode and OPTOUT mode",
        ));
    }
    if old.is_some_and(|t| (o.optin && t.optout) || (o.optout && t.optin)) {
        return Err(CmdError::fixed("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."));
    }
    if o.bcast {
        prefix_collision(old, &o.prefixes)?;
    }
    Ok(())
}

/// CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP].
pub fn client_tracking(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let o = parse_options(cx, args)?;
    let id = cx.client.id;
    if args::is(&args[2], "on") {
        check_on(cx.server.tracking.get(id), &o)?;
        let (redirect, redirect_slot) = o.redirect.unwrap_or((0, 0));
        let opts = ClientTracking {
            slot: cx.client.slot,
            redirect,
            redirect_slot,
            bcast: o.bcast,
            optin: o.optin,
            optout: o.optout,
            noloop: o.noloop,
            ..ClientTracking::default()
        };
        cx.server.tracking.enable(id, opts, &o.prefixes);
    } else if args::is(&args[2], "off") {
        disable(cx.server, id);
    } else {
        return Err(errors::SYNTAX);
    }
    cx.out.ok();
    Ok(())
}

/// CLIENT CACHING YES|NO.
pub fn client_caching(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let id = cx.client.id;
    let Some(t) = cx.server.tracking.get(id) else {
        return Err(NOT_TRACKING);
    };
    if args::is(&args[2], "yes") {
        if !t.optin {
            return Err(CmdError::fixed(
                "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            ));
        }
    } else if args::is(&args[2], "no") {
        if !t.optout {
            return Err(CmdError::fixed(
                "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            ));
        }
    } else {
        return Err(errors::SYNTAX);
    }
    cx.server.tracking.set_caching(id, true);
    cx.out.ok();
    Ok(())
}

/// CLIENT GETREDIR: the redirect id, 0 without redirection, -1 when tracking is off.
pub fn client_getredir(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let redir = cx
        .server
        .tracking
        .get(cx.client.id)
        .map_or(-1, |t| t.redirect as i64);
    cx.out.int(redir);
    Ok(())
}

/// CLIENT TRACKINGINFO: flags, redirect and prefixes of this client's tracking.
pub fn client_trackinginfo(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let t = cx.server.tracking.get(cx.client.id);
    let mut flags: Vec<&[u8]> = vec![if t.is_some() { b"on" } else { b"off" }];
    if let Some(t) = t {
        let words: [(bool, &[u8]); 7] = [
            (t.bcast, b"bcast"),
            (t.optin, b"optin"),
            (t.optin && t.caching, b"caching-yes"),
            (t.optout, b"optout"),
            (t.optout && t.caching, b"caching-no"),
            (t.noloop, b"noloop"),
            (t.broken, b"broken_redirect"),
        ];
        flags.extend(words.iter().filter(|w| w.0).map(|w| w.1));
    }
    let out = &mut *cx.out;
    out.map(3);
    out.bulk(b"flags");
    out.set(flags.len());
    for f in flags {
        out.bulk(f);
    }
    out.bulk(b"redirect");
    out.int(t.map_or(-1, |t| t.redirect as i64));
    out.bulk(b"prefixes");
    let prefixes = t.map(|t| &t.prefixes);
    out.array(prefixes.map_or(0, |p| p.len()));
    for p in prefixes.into_iter().flatten() {
        out.bulk(p);
    }
    Ok(())
}

/// The `CLIENT LIST` flag letters of a client's tracking (`t`, `R`, `B`, in Redis's order) and its
/// `redir=` value.
pub fn list_fields(t: Option<&ClientTracking>) -> (String, i64) {
    let Some(t) = t else {
        return (String::new(), -1);
    };
    let mut f = String::from("t");
    if t.broken {
        f.push('R');
    }
    if t.bcast {
        f.push('B');
    }
    (f, t.redirect as i64)
}
