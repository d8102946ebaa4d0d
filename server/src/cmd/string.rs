//! String commands: GET SET and friends, counters, ranges, LCS, and the bit commands.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::db::{clock, Value};

macro_rules! cmd {
    ($name:literal, $arity:expr, $flags:literal, $keys:expr, $acl:literal, $since:literal, $summary:literal, $complexity:literal, $handler:expr) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            first_key: $keys.0,
            last_key: $keys.1,
            step: $keys.2,
            acl: $acl,
            group: "string",
            since: $since,
            summary: $summary,
            complexity: $complexity,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

const K1: (i32, i32, i32) = (1, 1, 1);

/// The string commands.
pub static COMMANDS: &[Command] = &[
    cmd!(
        "get",
        2,
        "readonly fast",
        K1,
        "read string fast",
        "1.0.0",
        "Get the value of a key",
        "O(1)",
        get
    ),
    cmd!(
        "set",
        -3,
        "write denyoom",
        K1,
        "write string slow",
        "1.0.0",
        "Set the string value of a key",
        "O(1)",
        set
    ),
];

/// The string under `key`: `None` when missing, WRONGTYPE for other types.
fn get(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    match db.get(&args[1]) {
        Some(v) => out.bulk(v.as_str()?),
        None => out.null(),
    }
    Ok(())
}

/// Parsed `SET` options.
#[derive(Default)]
struct SetOptions {
    nx: bool,
    xx: bool,
    get: bool,
    keep_ttl: bool,
    /// Absolute expiry in ms, when given.
    expire_at: Option<i64>,
}

/// Converts an expire argument to absolute ms (`ERR invalid expire time in 'set' command`).
fn expire_arg(arg: &[u8], unit_ms: i64, relative: bool, cmd: &str) -> Result<i64, CmdError> {
    let n = args::int(arg)?;
    let invalid = || CmdError::owned(format!("ERR invalid expire time in '{cmd}' command"));
    if n <= 0 {
        return Err(invalid());
    }
    let mut when = n.checked_mul(unit_ms).ok_or_else(invalid)?;
    if relative {
        when = when.checked_add(clock::now_ms()).ok_or_else(invalid)?;
    }
    Ok(when)
}

fn set_options(args: &[Vec<u8>]) -> Result<SetOptions, CmdError> {
    let mut o = SetOptions::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let next = args.get(i + 1);
        let has_expire = o.expire_at.is_some();
        if args::is(a, "NX") && !o.xx {
            o.nx = true;
        } else if args::is(a, "XX") && !o.nx {
            o.xx = true;
        } else if args::is(a, "GET") {
            o.get = true;
        } else if args::is(a, "KEEPTTL") && !has_expire {
            o.keep_ttl = true;
        } else if let (Some(n), false, false) = (next, has_expire, o.keep_ttl) {
            let (unit, relative) = if args::is(a, "EX") {
                (1000, true)
            } else if args::is(a, "PX") {
                (1, true)
            } else if args::is(a, "EXAT") {
                (1000, false)
            } else if args::is(a, "PXAT") {
                (1, false)
            } else {
                return Err(errors::SYNTAX);
            };
            o.expire_at = Some(expire_arg(n, unit, relative, "set")?);
            i += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    Ok(o)
}

fn set(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let key = &args[1];
    let val = &args[2];
    if args.len() == 3 {
        let db = cx.db();
        db.set_bytes(key, val);
        db.signal_modified(key);
        cx.out.ok();
        return Ok(());
    }
    let o = set_options(&args[3..])?;
    let (db, out) = cx.db_out();
    let old = db.get_mut(key);
    let exists = old.is_some();
    if o.get {
        if let Some(v) = old {
            v.as_str()?;
        }
    }
    if (o.nx && exists) || (o.xx && !exists) {
        if o.get {
            let old = db.get(key).map(|v| v.as_str().map(|s| s.as_slice()));
            out.bulk_opt(old.transpose()?);
        } else {
            out.null();
        }
        return Ok(());
    }
    let previous = if o.get {
        db.get(key).and_then(|v| v.as_str().ok().cloned())
    } else {
        None
    };
    let value = Value::Str(val.clone());
    if o.keep_ttl {
        db.set_keep_ttl(key, value);
    } else {
        db.set(key, value);
    }
    if let Some(at) = o.expire_at {
        if at <= clock::now_ms() {
            db.remove(key);
        } else {
            db.set_expire(key, at);
        }
    }
    db.signal_modified(key);
    if o.get {
        out.bulk_opt(previous.as_deref());
    } else {
        out.ok();
    }
    Ok(())
}
