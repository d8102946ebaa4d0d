//! Connection commands: PING ECHO SELECT QUIT HELLO AUTH RESET and CLIENT. Key decision: HELLO and
//! AUTH share one password check so the `WRONGPASS`/`NOAUTH` texts stay identical.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;
use crate::db::clock;
use crate::net::client::{ClientState, ReplyMode};
use crate::tracking::Tracking;

macro_rules! client_sub {
    ($name:literal, $arity:expr, $flags:literal, $acl:literal, $since:literal, $summary:literal, $handler:expr) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: $acl,
            group: "connection",
            since: $since,
            summary: $summary,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

#[rustfmt::skip]
static CLIENT_SUBCOMMANDS: &[Command] = &[
    client_sub!("id", 2, "noscript loading stale", "slow connection", "5.0.0", "Returns the client ID for the current connection", client_id),
    client_sub!("setname", 3, "noscript loading stale", "slow connection", "2.6.9", "Set the current connection name", client_setname),
    client_sub!("getname", 2, "noscript loading stale", "slow connection", "2.6.9", "Get the current connection name", client_getname),
    client_sub!("list", -2, "admin noscript loading stale", "admin slow dangerous connection", "2.4.0", "Get the list of client connections", client_list),
    client_sub!("info", 2, "noscript loading stale", "slow connection", "6.2.0", "Returns information about the current client connection.", client_info),
    client_sub!("kill", -3, "admin noscript loading stale", "admin slow dangerous connection", "2.4.0", "Kill the connection of a client", client_kill),
    client_sub!("no-evict", 3, "admin noscript loading stale", "admin slow dangerous connection", "7.0.0", "Set client eviction mode for the current connection", client_no_evict),
    client_sub!("reply", 3, "noscript loading stale", "slow connection", "3.2.0", "Instruct the server whether to reply to commands", client_reply),
    client_sub!("unblock", -3, "admin noscript loading stale", "admin slow dangerous connection", "5.0.0", "Unblock a client blocked in a blocking command from a different connection", client_unblock),
    client_sub!("pause", -3, "admin noscript loading stale", "admin slow dangerous connection", "2.9.50", "Stop processing commands from clients for some time", super::pause::client_pause),
    client_sub!("unpause", 2, "admin noscript loading stale", "admin slow dangerous connection", "6.2.0", "Resume processing of clients that were paused", super::pause::client_unpause),
    client_sub!("help", 2, "loading stale", "slow connection", "5.0.0", "Show helpful text about the different subcommands", client_help),
    client_sub!("tracking", -3, "noscript loading stale", "slow connection", "6.0.0", "Enable or disable server assisted client side caching support", super::tracking::client_tracking),
    client_sub!("caching", 3, "noscript loading stale", "slow connection", "6.0.0", "Instruct the server about tracking or not keys in the next request", super::tracking::client_caching),
    client_sub!("getredir", 2, "noscript loading stale", "slow connection", "6.0.0", "Get tracking notifications redirection client ID if any", super::tracking::client_getredir),
    client_sub!("trackinginfo", 2, "noscript loading stale", "slow connection", "6.2.0", "Return information about server assisted client side caching for the current connection", super::tracking::client_trackinginfo),
];

/// The connection commands.
pub static COMMANDS: &[Command] = &[
    Command {
        name: "ping",
        arity: -1,
        flags: "fast",
        acl: "fast connection",
        group: "connection",
        summary: "Ping the server",
        handler: ping,
        ..Command::DEFAULT
    },
    Command {
        name: "echo",
        arity: 2,
        flags: "loading stale fast",
        acl: "fast connection",
        group: "connection",
        summary: "Echo the given string",
        handler: echo,
        ..Command::DEFAULT
    },
    Command {
        name: "select",
        arity: 2,
        flags: "loading stale fast",
        acl: "fast connection",
        group: "connection",
        since: "2.0.0",
        summary: "Change the selected database for the current connection",
        handler: select,
        ..Command::DEFAULT
    },
    Command {
        name: "quit",
        arity: -1,
        flags: "noscript loading stale fast no_auth allow_busy",
        acl: "fast connection",
        group: "connection",
        summary: "Close the connection",
        handler: quit,
        ..Command::DEFAULT
    },
    Command {
        name: "hello",
        arity: -1,
        flags: "noscript loading stale fast no_auth allow_busy",
        acl: "fast connection",
        group: "connection",
        since: "6.0.0",
        summary: "Handshake with Redis",
        complexity: "O(1)",
        handler: hello,
        ..Command::DEFAULT
    },
    Command {
        name: "auth",
        arity: -2,
        flags: "noscript loading stale fast no_auth allow_busy",
        acl: "fast connection",
        group: "connection",
        summary: "Authenticate to the server",
        complexity: "O(N) where N is the number of passwords defined for the user",
        handler: auth,
        ..Command::DEFAULT
    },
    Command {
        name: "reset",
        arity: 1,
        flags: "noscript loading stale fast no_auth allow_busy",
        acl: "fast connection",
        group: "connection",
        since: "6.2.0",
        summary: "Reset the connection",
        handler: reset,
        ..Command::DEFAULT
    },
    Command {
        name: "client",
        arity: -2,
        acl: "slow",
        group: "connection",
        since: "2.4.0",
        summary: "A container for client connection commands",
        complexity: "Depends on subcommand.",
        subcommands: CLIENT_SUBCOMMANDS,
        ..Command::DEFAULT
    },
];

fn ping(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args.len() <= 2 && !cx.out.resp3 && cx.client.subs.active() {
        cx.out.array(2);
        cx.out.bulk(b"pong");
        cx.out.bulk(args.get(1).map_or(&b""[..], |a| a.as_slice()));
        return Ok(());
    }
    match args.len() {
        1 => cx.out.simple("PONG"),
        2 => cx.out.bulk(&args[1]),
        _ => return Err(errors::wrong_arity("ping")),
    }
    Ok(())
}

fn echo(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    cx.out.bulk(&args[1]);
    Ok(())
}

fn select(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let n = args::int(&args[1])?;
    if n < 0 || n as usize >= cx.server.dbs.len() {
        return Err(errors::DB_RANGE);
    }
    cx.client.db = n as usize;
    cx.out.ok();
    Ok(())
}

fn quit(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.ok();
    cx.client.close_after_reply = true;
    Ok(())
}

const WRONGPASS: CmdError =
    CmdError::fixed("WRONGPASS invalid username-password pair or user is disabled.");

/// Checks `user`/`pass` against the default user (`requirepass`).
fn check_password(cx: &Ctx, user: &[u8], pass: &[u8]) -> Result<(), CmdError> {
    let required = cx.server.config.text(D::requirepass);
    let ok = user == b"default" && (required.is_empty() || required.as_bytes() == pass);
    if ok {
        Ok(())
    } else {
        Err(WRONGPASS)
    }
}

fn auth(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args.len() > 3 {
        return Err(errors::SYNTAX);
    }
    if args.len() == 2 && cx.server.config.text(D::requirepass).is_empty() {
        return Err(CmdError::fixed("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"));
    }
    let (user, pass): (&[u8], &[u8]) = if args.len() == 3 {
        (&args[1], &args[2])
    } else {
        (b"default", &args[1])
    };
    check_password(cx, user, pass)?;
    cx.client.authenticated = true;
    cx.out.ok();
    Ok(())
}

/// Validates a client name (`CLIENT SETNAME`, `HELLO SETNAME`).
pub fn check_client_name(name: &[u8]) -> Result<(), CmdError> {
    if name.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(CmdError::fixed(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    Ok(())
}

fn hello(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut proto = None;
    let mut i = 1;
    if args.len() > 1 {
        let v = args::int_or(
            &args[1],
            CmdError::fixed("ERR Protocol version is not an integer or out of range"),
        )?;
        if !(2..=3).contains(&v) {
            return Err(CmdError::fixed("NOPROTO unsupported protocol version"));
        }
        proto = Some(v);
        i = 2;
    }
    let mut login = None;
    let mut name = None;
    while i < args.len() {
        let more = args.len() - i - 1;
        if args::is(&args[i], "AUTH") && more >= 2 {
            login = Some((&args[i + 1], &args[i + 2]));
            i += 3;
        } else if args::is(&args[i], "SETNAME") && more >= 1 {
            check_client_name(&args[i + 1])?;
            name = Some(&args[i + 1]);
            i += 2;
        } else {
            return Err(CmdError::owned(format!(
                "ERR Syntax error in HELLO option '{}'",
                errors::truncate_lossy(&args[i], 128)
            )));
        }
    }
    if let Some((user, pass)) = login {
        check_password(cx, user, pass)?;
        cx.client.authenticated = true;
    }
    if !cx.client.authenticated {
        return Err(CmdError::fixed("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"));
    }
    if let Some(n) = name {
        cx.client.name = n.clone();
    }
    if let Some(p) = proto {
        cx.out.resp3 = p == 3;
    }
    hello_reply(cx);
    Ok(())
}

fn hello_reply(cx: &mut Ctx) {
    let out = &mut *cx.out;
    out.map(7);
    out.bulk(b"server");
    out.bulk(b"redis");
    out.bulk(b"version");
    out.bulk(crate::REDIS_VERSION.as_bytes());
    out.bulk(b"proto");
    out.int(if out.resp3 { 3 } else { 2 });
    out.bulk(b"id");
    out.int(cx.client.id as i64);
    out.bulk(b"mode");
    out.bulk(b"standalone");
    out.bulk(b"role");
    out.bulk(b"master");
    out.bulk(b"modules");
    out.array(0);
}

fn reset(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.client.multi = None;
    super::multi::unwatch_all(cx.server, cx.client);
    super::pubsub::unsubscribe_all(cx.server, cx.client);
    cx.client.monitor = false;
    let id = cx.client.id;
    cx.server.monitors.retain(|m| m.0 != id);
    cx.client.reply_mode = ReplyMode::On;
    cx.client.db = 0;
    cx.client.name.clear();
    cx.client.no_evict = false;
    super::tracking::disable(cx.server, cx.client.id);
    cx.client.authenticated = cx.server.config.text(D::requirepass).is_empty();
    cx.out.resp3 = false;
    cx.out.simple("RESET");
    Ok(())
}

fn client_id(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    cx.out.int(cx.client.id as i64);
    Ok(())
}

fn client_setname(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    check_client_name(&args[2])?;
    cx.client.name = args[2].clone();
    cx.out.ok();
    Ok(())
}

fn client_getname(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    if cx.client.name.is_empty() {
        cx.out.null();
    } else {
        cx.out.bulk(&cx.client.name);
    }
    Ok(())
}

/// The `flags=` letters of `CLIENT LIST`, in Redis's order (`N` when none); `tracking` holds the
/// client-side caching letters.
fn client_flags(c: &ClientState, tracking: &str) -> String {
    let mut f = String::new();
    let letters = [
        (c.monitor, 'O'),
        (c.subs.active(), 'P'),
        (c.multi.is_some(), 'x'),
        (c.blocked.is_some() || c.postponed, 'b'),
    ];
    f.extend(letters.iter().filter(|l| l.0).map(|l| l.1));
    f.push_str(tracking);
    let letters = [(c.close_after_reply, 'c'), (c.no_evict, 'e')];
    f.extend(letters.iter().filter(|l| l.0).map(|l| l.1));
    if f.is_empty() {
        f.push('N');
    }
    f
}

/// The class of a client for `TYPE` filters: `normal` or `pubsub` (no replication here).
fn client_type(c: &ClientState) -> &'static str {
    if c.subs.active() {
        "pubsub"
    } else {
        "normal"
    }
}

/// Parses a `TYPE` argument (`replica` and `slave` are the same class).
fn client_type_arg(t: &[u8]) -> Result<&'static str, CmdError> {
    ["normal", "master", "replica", "slave", "pubsub"]
        .into_iter()
        .find(|w| args::is(t, w))
        .map(|w| if w == "slave" { "replica" } else { w })
        .ok_or_else(|| {
            CmdError::owned(format!(
                "ERR Unknown client type '{}'",
                errors::truncate_lossy(t, 128)
            ))
        })
}

/// One `CLIENT LIST` line (without newline) for a client; `io` is (qbuf, obl) byte counts.
fn describe(c: &ClientState, resp3: bool, io: (usize, usize), tracking: &Tracking) -> String {
    let now = clock::now_ms();
    let (tracking_flags, redir) = super::tracking::list_fields(tracking.get(c.id));
    let cmd = if c.last_sub.is_empty() {
        c.last_cmd.to_string()
    } else {
        format!("{}|{}", c.last_cmd, c.last_sub)
    };
    format!(
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} qbuf={} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl={} oll=0 omem=0 tot-mem=0 events=r cmd={} user=default redir={} resp={}",
        c.id,
        c.addr,
        c.laddr,
        c.fd,
        String::from_utf8_lossy(&c.name),
        (now - c.created_ms) / 1000,
        (now - c.last_interaction_ms) / 1000,
        client_flags(c, &tracking_flags),
        c.db,
        c.subs.channels.len(),
        c.subs.patterns.len(),
        c.subs.shard.len(),
        c.multi.as_ref().map_or(-1, |q| q.commands.len() as i64),
        io.0,
        io.1,
        cmd,
        redir,
        if resp3 { 3 } else { 2 }
    )
}

fn client_list(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut ids: Option<Vec<u64>> = None;
    let mut ctype = None;
    let mut i = 2;
    while i < args.len() {
        if args::is(&args[i], "TYPE") && i + 1 < args.len() {
            ctype = Some(client_type_arg(&args[i + 1])?);
            i += 2;
        } else if args::is(&args[i], "ID") && i + 1 < args.len() {
            let mut list = Vec::new();
            for a in &args[i + 1..] {
                let n = args::int_or(a, CmdError::fixed("ERR Invalid client ID"))?;
                if n <= 0 {
                    return Err(CmdError::fixed("ERR Invalid client ID"));
                }
                list.push(n as u64);
            }
            ids = Some(list);
            i = args.len();
        } else {
            return Err(errors::SYNTAX);
        }
    }
    let mut lines = Vec::new();
    let mut all: Vec<String> = Vec::new();
    let mut ids_seen = Vec::new();
    if ctype.is_none_or(|t| client_type(cx.client) == t) {
        all.push(describe(
            cx.client,
            cx.out.resp3,
            (0, 0),
            &cx.server.tracking,
        ));
        ids_seen.push(cx.client.id);
    }
    let others = cx.server.clients.iter().flatten();
    for c in others.filter(|c| ctype.is_none_or(|t| client_type(&c.state) == t)) {
        ids_seen.push(c.state.id);
        all.push(describe(
            &c.state,
            c.reply.resp3,
            (c.query_len(), c.pending_output()),
            &cx.server.tracking,
        ));
    }
    let mut pairs: Vec<(u64, String)> = ids_seen.into_iter().zip(all).collect();
    pairs.sort_by_key(|p| p.0);
    for (id, l) in pairs {
        if ids.as_ref().is_none_or(|list| list.contains(&id)) {
            lines.push(l);
        }
    }
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    cx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

fn client_info(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let mut text = describe(cx.client, cx.out.resp3, (0, 0), &cx.server.tracking);
    text.push('\n');
    cx.out.verbatim("txt", text.as_bytes());
    Ok(())
}

/// CLIENT KILL addr | CLIENT KILL [ID id] [ADDR addr] [LADDR addr] [SKIPME yes/no] [TYPE t] [USER u].
fn client_kill(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let old_style = args.len() == 3;
    let mut id = None;
    let mut addr = None;
    let mut laddr = None;
    let mut skipme = true;
    let mut ctype = None;
    if old_style {
        addr = Some(String::from_utf8_lossy(&args[2]).to_string());
    } else {
        if args.len() % 2 == 1 {
            return Err(errors::SYNTAX);
        }
        for pair in args[2..].chunks_exact(2) {
            let v = &pair[1];
            if args::is(&pair[0], "ID") {
                let n = args::int_or(v, CmdError::fixed("ERR client-id should be greater than 0"))?;
                if n <= 0 {
                    return Err(CmdError::fixed("ERR client-id should be greater than 0"));
                }
                id = Some(n as u64);
            } else if args::is(&pair[0], "ADDR") {
                addr = Some(String::from_utf8_lossy(v).to_string());
            } else if args::is(&pair[0], "LADDR") {
                laddr = Some(String::from_utf8_lossy(v).to_string());
            } else if args::is(&pair[0], "SKIPME") {
                skipme = if args::is(v, "YES") {
                    true
                } else if args::is(v, "NO") {
                    false
                } else {
                    return Err(errors::SYNTAX);
                };
            } else if args::is(&pair[0], "TYPE") {
                ctype = Some(client_type_arg(v)?);
            } else if args::is(&pair[0], "USER") {
                if v.as_slice() != b"default" {
                    return Err(CmdError::owned(format!(
                        "ERR No such user '{}'",
                        errors::truncate_lossy(v, 128)
                    )));
                }
            } else {
                return Err(errors::SYNTAX);
            }
        }
    }
    let matches = |c: &ClientState| {
        ctype.is_none_or(|t| client_type(c) == t)
            && id.is_none_or(|i| c.id == i)
            && addr.as_ref().is_none_or(|a| &c.addr == a)
            && laddr.as_ref().is_none_or(|a| &c.laddr == a)
    };
    let mut killed = 0;
    for slot in 0..cx.server.clients.len() {
        if let Some(c) = cx.server.clients[slot].as_mut() {
            if matches(&c.state) {
                c.state.close_after_reply = true;
                cx.server.kill_queue.push(slot);
                killed += 1;
            }
        }
    }
    if (old_style || !skipme) && matches(cx.client) {
        cx.client.close_after_reply = true;
        killed += 1;
    }
    if old_style {
        if killed == 0 {
            return Err(CmdError::fixed("ERR No such client"));
        }
        cx.out.ok();
    } else {
        cx.out.int(killed);
    }
    Ok(())
}

fn client_no_evict(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args::is(&args[2], "ON") {
        cx.client.no_evict = true;
    } else if args::is(&args[2], "OFF") {
        cx.client.no_evict = false;
        super::tracking::disable(cx.server, cx.client.id);
    } else {
        return Err(errors::SYNTAX);
    }
    cx.out.ok();
    Ok(())
}

fn client_help(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let lines = [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "LIST [options ...]",
        "    Return information about client connections.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.simple_lines(&lines);
    Ok(())
}

/// Applies `CLIENT REPLY` after a command: drops the reply written since `mark` when replies are off
/// or this command's reply is skipped.
pub fn apply_reply_mode(cx: &mut Ctx, mark: usize) {
    match cx.client.reply_mode {
        ReplyMode::On => {}
        ReplyMode::Off => cx.out.truncate(mark),
        ReplyMode::Skip => cx.client.reply_mode = ReplyMode::SkipThis,
        ReplyMode::SkipThis => {
            cx.out.truncate(mark);
            cx.client.reply_mode = ReplyMode::On;
        }
    }
}

fn client_reply(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args::is(&args[2], "ON") {
        cx.client.reply_mode = ReplyMode::On;
        cx.out.ok();
    } else if args::is(&args[2], "OFF") {
        cx.client.reply_mode = ReplyMode::Off;
    } else if args::is(&args[2], "SKIP") {
        if cx.client.reply_mode != ReplyMode::Off {
            cx.client.reply_mode = ReplyMode::Skip;
        }
    } else {
        return Err(errors::SYNTAX);
    }
    Ok(())
}

/// CLIENT UNBLOCK id [TIMEOUT|ERROR].
fn client_unblock(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args.len() > 4 {
        return Err(errors::subcommand_syntax(&args[1], "client"));
    }
    let id = args::int(&args[2])?;
    let error = match args.get(3) {
        None => false,
        Some(a) if args::is(a, "TIMEOUT") => false,
        Some(a) if args::is(a, "ERROR") => true,
        Some(_) => {
            return Err(CmdError::fixed(
                "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
            ))
        }
    };
    let slot = cx
        .server
        .clients
        .iter()
        .flatten()
        .find(|c| c.state.id as i64 == id)
        .map(|c| c.state.slot);
    let done = slot.is_some_and(|slot| {
        let text = error.then_some("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        super::blocking::end_wait(cx.server, slot, id as u64, text)
    });
    cx.out.int(done as i64);
    Ok(())
}
