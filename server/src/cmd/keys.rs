//! Generic keyspace commands: DEL UNLINK EXISTS TYPE, the EXPIRE family and TTL family, PERSIST, and
//! the multi-key/database commands (RENAME COPY MOVE SWAPDB KEYS SCAN RANDOMKEY TOUCH OBJECT...).

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::db::clock;

/// Key-spec shorthand: one key at position 1.
const K1: (i32, i32, i32) = (1, 1, 1);

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
            group: "generic",
            since: $since,
            summary: $summary,
            complexity: $complexity,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

/// The generic key commands.
pub static COMMANDS: &[Command] = &[
    cmd!("del", -2, "write", (1, -1, 1), "keyspace write slow", "1.0.0", "Delete a key", "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).", del),
    cmd!("unlink", -2, "write fast", (1, -1, 1), "keyspace write fast", "4.0.0", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.", del),
    cmd!("exists", -2, "readonly fast", (1, -1, 1), "keyspace read fast", "1.0.0", "Determine if a key exists", "O(N) where N is the number of keys to check.", exists),
    cmd!("type", 2, "readonly fast", K1, "keyspace read fast", "1.0.0", "Determine the type stored at key", "O(1)", type_),
    cmd!("expire", -3, "write fast", K1, "keyspace write fast", "1.0.0", "Set a key's time to live in seconds", "O(1)", expire),
    cmd!("pexpire", -3, "write fast", K1, "keyspace write fast", "2.6.0", "Set a key's time to live in milliseconds", "O(1)", pexpire),
    cmd!("expireat", -3, "write fast", K1, "keyspace write fast", "1.2.0", "Set the expiration for a key as a UNIX timestamp", "O(1)", expireat),
    cmd!("pexpireat", -3, "write fast", K1, "keyspace write fast", "2.6.0", "Set the expiration for a key as a UNIX timestamp specified in milliseconds", "O(1)", pexpireat),
    cmd!("ttl", 2, "readonly fast", K1, "keyspace read fast", "1.0.0", "Get the time to live for a key in seconds", "O(1)", ttl),
    cmd!("pttl", 2, "readonly fast", K1, "keyspace read fast", "2.6.0", "Get the time to live for a key in milliseconds", "O(1)", pttl),
    cmd!("expiretime", 2, "readonly fast", K1, "keyspace read fast", "7.0.0", "Get the expiration Unix timestamp for a key", "O(1)", expiretime),
    cmd!("pexpiretime", 2, "readonly fast", K1, "keyspace read fast", "7.0.0", "Get the expiration Unix timestamp for a key in milliseconds", "O(1)", pexpiretime),
    cmd!("persist", 2, "write fast", K1, "keyspace write fast", "2.2.0", "Remove the expiration from a key", "O(1)", persist),
];

fn del(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let db = cx.db();
    let mut n = 0;
    for key in &args[1..] {
        if db.contains(key) {
            db.remove(key);
            db.signal_modified(key);
            n += 1;
        }
    }
    cx.out.int(n);
    Ok(())
}

fn exists(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let db = cx.db();
    let n = args[1..].iter().filter(|k| db.contains(k)).count();
    cx.out.int(n as i64);
    Ok(())
}

fn type_(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    match db.get_mut(&args[1]) {
        Some(v) => out.simple(v.type_name()),
        None => out.simple("none"),
    }
    Ok(())
}

/// Condition flags of the EXPIRE family.
#[derive(Default)]
struct ExpireFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn expire_flags(args: &[Vec<u8>]) -> Result<ExpireFlags, CmdError> {
    let mut f = ExpireFlags::default();
    for a in args {
        if args::is(a, "NX") {
            f.nx = true;
        } else if args::is(a, "XX") {
            f.xx = true;
        } else if args::is(a, "GT") {
            f.gt = true;
        } else if args::is(a, "LT") {
            f.lt = true;
        } else {
            return Err(CmdError::owned(format!(
                "ERR Unsupported option {}",
                errors::truncate_lossy(a, 128)
            )));
        }
    }
    if f.nx && (f.xx || f.gt || f.lt) {
        return Err(CmdError::fixed(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if f.gt && f.lt {
        return Err(CmdError::fixed(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    Ok(f)
}

/// Shared body of EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT: `unit_ms` is 1000 for seconds, `relative` adds now.
fn expire_generic(cx: &mut Ctx, args: &[Vec<u8>], unit_ms: i64, relative: bool) -> CmdResult {
    let n = args::int(&args[2])?;
    let flags = expire_flags(&args[3..])?;
    let invalid = || {
        CmdError::owned(format!(
            "ERR invalid expire time in '{}' command",
            String::from_utf8_lossy(&args[0]).to_ascii_lowercase()
        ))
    };
    let mut when = n.checked_mul(unit_ms).ok_or_else(invalid)?;
    if relative {
        when = when.checked_add(clock::now_ms()).ok_or_else(invalid)?;
    }
    let key = &args[1];
    let db = cx.db();
    let Some(entry) = db.entry(key) else {
        cx.out.int(0);
        return Ok(());
    };
    let current = entry.expire_at;
    let allowed = if flags.nx {
        current == 0
    } else if flags.xx && current == 0 {
        false
    } else if flags.gt {
        current != 0 && when > current
    } else if flags.lt {
        current == 0 || when < current
    } else {
        true
    };
    if !allowed {
        cx.out.int(0);
        return Ok(());
    }
    if when <= clock::now_ms() {
        db.remove(key);
    } else {
        db.set_expire(key, when);
    }
    db.signal_modified(key);
    cx.out.int(1);
    Ok(())
}

fn expire(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    expire_generic(cx, args, 1000, true)
}

fn pexpire(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    expire_generic(cx, args, 1, true)
}

fn expireat(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    expire_generic(cx, args, 1000, false)
}

fn pexpireat(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    expire_generic(cx, args, 1, false)
}

/// Shared body of the TTL family: `ms` picks the unit, `absolute` reports the expiry time itself.
fn ttl_generic(cx: &mut Ctx, key: &[u8], ms: bool, absolute: bool) -> CmdResult {
    let reply = match cx.db().entry(key) {
        None => -2,
        Some(e) if e.expire_at == 0 => -1,
        Some(e) if absolute => {
            if ms {
                e.expire_at
            } else {
                e.expire_at / 1000
            }
        }
        Some(e) => {
            let left = (e.expire_at - clock::now_ms()).max(0);
            if ms {
                left
            } else {
                (left + 500) / 1000
            }
        }
    };
    cx.out.int(reply);
    Ok(())
}

fn ttl(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(cx, &args[1], false, false)
}

fn pttl(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(cx, &args[1], true, false)
}

fn expiretime(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(cx, &args[1], false, true)
}

fn pexpiretime(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(cx, &args[1], true, true)
}

fn persist(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let db = cx.db();
    let done = db.persist(&args[1]);
    if done {
        db.signal_modified(&args[1]);
    }
    cx.out.int(done as i64);
    Ok(())
}
