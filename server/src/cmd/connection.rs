//! Connection commands: PING ECHO SELECT QUIT HELLO AUTH RESET and CLIENT. Key decision: HELLO and
//! AUTH share one password check so the `WRONGPASS`/`NOAUTH` texts stay identical.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;

/// The connection commands.
pub static COMMANDS: &[Command] = &[
    Command {
        name: "ping",
        arity: -1,
        flags: "fast sentinel",
        acl: "fast connection",
        group: "connection",
        summary: "Ping the server",
        handler: ping,
        ..Command::DEFAULT
    },
    Command {
        name: "echo",
        arity: 2,
        flags: "fast",
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
        flags: "allow_busy noscript loading stale fast no_auth",
        acl: "fast connection",
        group: "connection",
        summary: "Close the connection",
        handler: quit,
        ..Command::DEFAULT
    },
    Command {
        name: "hello",
        arity: -1,
        flags: "noscript loading stale fast no_auth sentinel",
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
        flags: "noscript loading stale fast no_auth sentinel allow_busy",
        acl: "fast connection",
        group: "connection",
        summary: "Authenticate to the server",
        complexity: "O(N) where N is the number of passwords defined for the user",
        handler: auth,
        ..Command::DEFAULT
    },
];

fn ping(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
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
