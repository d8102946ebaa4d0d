//! String commands: GET SET and friends, counters, ranges, LCS, and the bit commands.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::db::hooks::class;
use crate::db::long_double::{self, LongDouble, Parsed};
use crate::db::{clock, Bytes, Value};

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("string"; $($entry)*)
    };
}

const K1: (i32, i32, i32) = (1, 1, 1);

/// The string commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("get", 2, "readonly fast", K1, "read string fast", "1.0.0", "Get the value of a key", "O(1)", get),
    cmd!("set", -3, "write denyoom", K1, "write string slow", "1.0.0", "Set the string value of a key", "O(1)", set),
    cmd!("setnx", 3, "write denyoom fast", K1, "write string fast", "1.0.0", "Set the value of a key, only if the key does not exist", "O(1)", setnx),
    cmd!("setex", 4, "write denyoom", K1, "write string slow", "2.0.0", "Set the value and expiration of a key", "O(1)", setex),
    cmd!("psetex", 4, "write denyoom", K1, "write string slow", "2.6.0", "Set the value and expiration in milliseconds of a key", "O(1)", psetex),
    cmd!("getset", 3, "write denyoom fast", K1, "write string fast", "1.0.0", "Set the string value of a key and return its old value", "O(1)", getset),
    cmd!("getdel", 2, "write fast", K1, "write string fast", "6.2.0", "Get the value of a key and delete the key", "O(1)", getdel),
    cmd!("getex", -2, "write fast", K1, "write string fast", "6.2.0", "Get the value of a key and optionally set its expiration", "O(1)", getex),
    cmd!("mget", -2, "readonly fast", (1, -1, 1), "read string fast", "1.0.0", "Get the values of all the given keys", "O(N) where N is the number of keys to retrieve.", mget),
    cmd!("mset", -3, "write denyoom", (1, -1, 2), "write string slow", "1.0.1", "Set multiple keys to multiple values", "O(N) where N is the number of keys to set.", mset),
    cmd!("msetnx", -3, "write denyoom", (1, -1, 2), "write string slow", "1.0.1", "Set multiple keys to multiple values, only if none of the keys exist", "O(N) where N is the number of keys to set.", msetnx),
    cmd!("append", 3, "write denyoom fast", K1, "write string fast", "2.0.0", "Append a value to a key", "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.", append),
    cmd!("strlen", 2, "readonly fast", K1, "read string fast", "2.2.0", "Get the length of the value stored in a key", "O(1)", strlen),
    cmd!("getrange", 4, "readonly", K1, "read string slow", "2.4.0", "Get a substring of the string stored at a key", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", getrange),
    cmd!("substr", 4, "readonly", K1, "read string slow", "1.0.0", "Get a substring of the string stored at a key", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", getrange),
    cmd!("setrange", 4, "write denyoom", K1, "write string slow", "2.2.0", "Overwrite part of a string at key starting at the specified offset", "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.", setrange),
    cmd!("incr", 2, "write denyoom fast", K1, "write string fast", "1.0.0", "Increment the integer value of a key by one", "O(1)", incr),
    cmd!("decr", 2, "write denyoom fast", K1, "write string fast", "1.0.0", "Decrement the integer value of a key by one", "O(1)", decr),
    cmd!("incrby", 3, "write denyoom fast", K1, "write string fast", "1.0.0", "Increment the integer value of a key by the given amount", "O(1)", incrby),
    cmd!("decrby", 3, "write denyoom fast", K1, "write string fast", "1.0.0", "Decrement the integer value of a key by the given number", "O(1)", decrby),
    cmd!("incrbyfloat", 3, "write denyoom fast", K1, "write string fast", "2.6.0", "Increment the float value of a key by the given amount", "O(1)", incrbyfloat),
    cmd!("lcs", -3, "readonly", (1, 2, 1), "read string slow", "7.0.0", "Find longest common substring", "O(N*M) where N and M are the lengths of s1 and s2, respectively", lcs),
    cmd!("setbit", 4, "write denyoom", K1, "write bitmap slow", "2.2.0", "Sets or clears the bit at offset in the string value stored at key", "O(1)", super::bits::setbit),
    cmd!("getbit", 3, "readonly fast", K1, "read bitmap fast", "2.2.0", "Returns the bit value at offset in the string value stored at key", "O(1)", super::bits::getbit),
    cmd!("bitcount", -2, "readonly", K1, "read bitmap slow", "2.6.0", "Count set bits in a string", "O(N)", super::bits::bitcount),
    cmd!("bitpos", -3, "readonly", K1, "read bitmap slow", "2.8.7", "Find first bit set or clear in a string", "O(N)", super::bits::bitpos),
    cmd!("bitop", -4, "write denyoom", (2, -1, 1), "write bitmap slow", "2.6.0", "Perform bitwise operations between strings", "O(N)", super::bits::bitop),
    cmd!("bitfield", -2, "write denyoom", K1, "write bitmap slow", "3.2.0", "Perform arbitrary bitfield integer operations on strings", "O(1) for each subcommand specified", super::bits::bitfield),
    cmd!("bitfield_ro", -2, "readonly fast", K1, "read bitmap fast", "6.0.0", "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD", "O(1) for each subcommand specified", super::bits::bitfield_ro),
];

/// Largest string a command may build (`proto-max-bulk-len` default).
pub const MAX_STRING: i64 = 512 * 1024 * 1024;

/// The string under `key` for reading; WRONGTYPE for other types.
pub fn read_str<'a>(db: &'a mut crate::db::Db, key: &[u8]) -> Result<Option<&'a [u8]>, CmdError> {
    match db.get(key) {
        Some(v) => Ok(Some(v.as_str()?.as_slice())),
        None => Ok(None),
    }
}

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
        db.notify(class::STRING, "set", key);
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
        db.get(key)
            .and_then(|v| v.as_str().ok().map(|s| s.to_vec()))
    } else {
        None
    };
    let value = Value::str(val);
    if o.keep_ttl {
        db.set_keep_ttl(key, value);
    } else {
        db.set(key, value);
    }
    db.notify(class::STRING, "set", key);
    if let Some(at) = o.expire_at {
        if at <= clock::now_ms() {
            db.remove(key);
            db.notify(class::GENERIC, "del", key);
        } else {
            db.set_expire(key, at);
            db.notify(class::GENERIC, "expire", key);
        }
    }
    db.signal_modified(key);
    if o.get {
        out.bulk_opt(previous.as_deref());
    } else {
        out.ok();
    }
    propagate_set(cx, args, o.expire_at, o.get);
    Ok(())
}

/// How `SET` propagates (`setGenericCommand`): with a TTL as `SET key value PXAT ms`, else
/// without its `GET` arguments.
fn propagate_set(cx: &mut Ctx, args: &[Vec<u8>], expire_at: Option<i64>, get: bool) {
    let prop = &mut cx.server.propagation;
    if let Some(at) = expire_at {
        let at = at.to_string();
        prop.propagate_as(&[b"SET", &args[1], &args[2], b"PXAT", at.as_bytes()]);
    } else if get {
        let kept = args
            .iter()
            .enumerate()
            .filter(|(i, a)| *i < 3 || !args::is(a, "GET"))
            .map(|(_, a)| a.clone());
        prop.rewrite(kept.collect());
    }
}

fn setnx(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let db = cx.db();
    if db.contains(&args[1]) {
        cx.out.int(0);
        return Ok(());
    }
    db.set_bytes(&args[1], &args[2]);
    db.signal_modified(&args[1]);
    db.notify(class::STRING, "set", &args[1]);
    cx.out.int(1);
    Ok(())
}

fn setex_generic(cx: &mut Ctx, args: &[Vec<u8>], unit: i64, name: &str) -> CmdResult {
    let at = expire_arg(&args[2], unit, true, name)?;
    let db = cx.db();
    db.set_bytes(&args[1], &args[3]);
    db.set_expire(&args[1], at);
    db.signal_modified(&args[1]);
    db.notify(class::STRING, "set", &args[1]);
    db.notify(class::GENERIC, "expire", &args[1]);
    cx.out.ok();
    propagate_set(
        cx,
        &[args[0].clone(), args[1].clone(), args[3].clone()],
        Some(at),
        false,
    );
    Ok(())
}

fn setex(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setex_generic(cx, args, 1000, "setex")
}

fn psetex(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setex_generic(cx, args, 1, "psetex")
}

fn getset(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let old = read_str(db, &args[1])?.map(<[u8]>::to_vec);
    db.set_bytes(&args[1], &args[2]);
    db.signal_modified(&args[1]);
    db.notify(class::STRING, "set", &args[1]);
    out.bulk_opt(old.as_deref());
    Ok(())
}

fn getdel(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    if read_str(db, &args[1])?.is_none() {
        out.null();
        return Ok(());
    }
    if let Some(Value::Str(v)) = db.remove(&args[1]) {
        out.bulk(&v);
    }
    db.signal_modified(&args[1]);
    db.notify(class::GENERIC, "del", &args[1]);
    cx.server.propagation.propagate_as(&[b"DEL", &args[1]]);
    Ok(())
}

fn getex(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut expire_at = None;
    let mut persist = false;
    let mut i = 2;
    while i < args.len() {
        let a = &args[i];
        let has = expire_at.is_some() || persist;
        if args::is(a, "PERSIST") && !has {
            persist = true;
        } else if let (Some(n), false) = (args.get(i + 1), has) {
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
            expire_at = Some(expire_arg(n, unit, relative, "getex")?);
            i += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    let (db, out) = cx.db_out();
    let Some(v) = read_str(db, &args[1])? else {
        out.null();
        return Ok(());
    };
    out.bulk(v);
    let key = &args[1];
    if let Some(at) = expire_at {
        let past = at <= clock::now_ms();
        if past {
            db.remove(key);
            db.notify(class::GENERIC, "del", key);
        } else {
            db.set_expire(key, at);
            db.notify(class::GENERIC, "expire", key);
        }
        db.signal_modified(key);
        propagate_expiry(cx, key, at, past, &[]);
    } else if persist && db.persist(key) {
        db.signal_modified(key);
        db.notify(class::GENERIC, "persist", key);
        cx.server.propagation.propagate_as(&[b"PERSIST", key]);
    }
    Ok(())
}

/// How a command setting a TTL on `key` propagates: `PEXPIREAT key ms [options]`, or the
/// deletion when the time is already past (`expireGenericCommand`, `getexCommand`).
pub fn propagate_expiry(cx: &mut Ctx, key: &[u8], at: i64, past: bool, options: &[Vec<u8>]) {
    let del = crate::propagate::deletion_word(cx.server);
    let prop = &mut cx.server.propagation;
    if past {
        prop.propagate_as(&[del, key]);
    } else {
        let at = at.to_string();
        let mut argv = vec![b"PEXPIREAT".to_vec(), key.to_vec(), at.into_bytes()];
        argv.extend_from_slice(options);
        prop.rewrite(argv);
    }
}

fn mget(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    out.array(args.len() - 1);
    for key in &args[1..] {
        match db.get(key) {
            Some(Value::Str(s)) => out.bulk(s),
            _ => out.null(),
        }
    }
    Ok(())
}

fn mset(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args.len().is_multiple_of(2) {
        return Err(errors::wrong_arity("mset"));
    }
    let db = cx.db();
    for kv in args[1..].chunks_exact(2) {
        db.set_bytes(&kv[0], &kv[1]);
        db.signal_modified(&kv[0]);
        db.notify(class::STRING, "set", &kv[0]);
    }
    cx.out.ok();
    Ok(())
}

fn msetnx(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    if args.len().is_multiple_of(2) {
        return Err(errors::wrong_arity("msetnx"));
    }
    let db = cx.db();
    if args[1..].chunks_exact(2).any(|kv| db.contains(&kv[0])) {
        cx.out.int(0);
        return Ok(());
    }
    for kv in args[1..].chunks_exact(2) {
        db.set_bytes(&kv[0], &kv[1]);
        db.signal_modified(&kv[0]);
        db.notify(class::STRING, "set", &kv[0]);
    }
    cx.out.int(1);
    Ok(())
}

fn check_size(len: i64) -> Result<(), CmdError> {
    if len > MAX_STRING {
        return Err(CmdError::fixed(
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
        ));
    }
    Ok(())
}

fn append(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let len = match db.get_mut(&args[1]) {
        Some(v) => {
            let s = v.as_str_mut()?;
            check_size((s.len() + args[2].len()) as i64)?;
            s.extend_from_slice(&args[2]);
            s.len()
        }
        None => {
            db.set_bytes(&args[1], &args[2]);
            args[2].len()
        }
    };
    db.signal_modified(&args[1]);
    db.notify(class::STRING, "append", &args[1]);
    out.int(len as i64);
    Ok(())
}

fn strlen(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let n = read_str(db, &args[1])?.map_or(0, |s| s.len());
    out.int(n as i64);
    Ok(())
}

fn getrange(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut start = args::int(&args[2])?;
    let mut end = args::int(&args[3])?;
    let (db, out) = cx.db_out();
    let Some(s) = read_str(db, &args[1])? else {
        out.bulk(b"");
        return Ok(());
    };
    let len = s.len() as i64;
    if start < 0 && end < 0 && start > end {
        out.bulk(b"");
        return Ok(());
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        out.bulk(b"");
    } else {
        out.bulk(&s[start as usize..=end as usize]);
    }
    Ok(())
}

fn setrange(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let offset = args::int(&args[2])?;
    if offset < 0 {
        return Err(CmdError::fixed("ERR offset is out of range"));
    }
    let val = &args[3];
    let (db, out) = cx.db_out();
    let existing = db.get_mut(&args[1]);
    let Some(v) = existing else {
        if val.is_empty() {
            out.int(0);
            return Ok(());
        }
        check_size(offset + val.len() as i64)?;
        let mut s = vec![0u8; offset as usize];
        s.extend_from_slice(val);
        let n = s.len();
        db.set(&args[1], Value::Str(Bytes::growable(s)));
        db.signal_modified(&args[1]);
        db.notify(class::STRING, "setrange", &args[1]);
        out.int(n as i64);
        return Ok(());
    };
    if val.is_empty() {
        out.int(v.as_str()?.len() as i64);
        return Ok(());
    }
    let s = v.as_str_mut()?;
    check_size(offset + val.len() as i64)?;
    let end = offset as usize + val.len();
    if s.len() < end {
        s.resize(end, 0);
    }
    s[offset as usize..end].copy_from_slice(val);
    let n = s.len();
    db.signal_modified(&args[1]);
    db.notify(class::STRING, "setrange", &args[1]);
    out.int(n as i64);
    Ok(())
}

/// Adds `by` to the integer stored at `key` (created as 0), replying with the result.
fn incr_by(cx: &mut Ctx, key: &[u8], by: i64) -> CmdResult {
    let (db, out) = cx.db_out();
    let n = match db.get_mut(key) {
        Some(v) => {
            let cur = crate::resp::parser::parse_i64(v.as_str()?).ok_or(errors::NOT_INT)?;
            let n = cur.checked_add(by).ok_or(errors::OVERFLOW)?;
            let mut tmp = [0u8; 20];
            *v = Value::str(crate::resp::reply::fmt_int(&mut tmp, n));
            n
        }
        None => {
            let mut tmp = [0u8; 20];
            db.set_bytes(key, crate::resp::reply::fmt_int(&mut tmp, by));
            by
        }
    };
    db.signal_modified(key);
    db.notify(class::STRING, "incrby", key);
    out.int(n);
    Ok(())
}

fn incr(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    incr_by(cx, &args[1], 1)
}

fn decr(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    incr_by(cx, &args[1], -1)
}

fn incrby(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let by = args::int(&args[2])?;
    incr_by(cx, &args[1], by)
}

fn decrby(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let by = args::int(&args[2])?;
    if by == i64::MIN {
        return Err(CmdError::fixed("ERR decrement would overflow"));
    }
    incr_by(cx, &args[1], -by)
}

fn incrbyfloat(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let cur = match read_str(db, &args[1])? {
        Some(s) => long_double::parse(s),
        None => Parsed::Finite(LongDouble::from_i64(0)),
    };
    let sum = match (cur, long_double::parse(&args[2])) {
        (Parsed::Invalid, _) | (_, Parsed::Invalid) => return Err(errors::NOT_FLOAT),
        (Parsed::Finite(a), Parsed::Finite(b)) => a.checked_add(b),
        _ => None,
    };
    let text = sum
        .ok_or(CmdError::fixed(
            "ERR increment would produce NaN or Infinity",
        ))?
        .to_human();
    db.set_keep_ttl(&args[1], Value::Str(Bytes::embstr(text.as_bytes())));
    db.signal_modified(&args[1]);
    db.notify(class::STRING, "incrbyfloat", &args[1]);
    out.bulk(text.as_bytes());
    let prop = &mut cx.server.propagation;
    prop.propagate_as(&[b"SET", &args[1], text.as_bytes(), b"KEEPTTL"]);
    Ok(())
}

/// Options of `LCS`.
#[derive(Default)]
struct LcsOptions {
    len: bool,
    idx: bool,
    min_len: i64,
    with_len: bool,
}

fn lcs_options(args: &[Vec<u8>]) -> Result<LcsOptions, CmdError> {
    let mut o = LcsOptions::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if args::is(a, "LEN") {
            o.len = true;
        } else if args::is(a, "IDX") {
            o.idx = true;
        } else if args::is(a, "WITHMATCHLEN") {
            o.with_len = true;
        } else if args::is(a, "MINMATCHLEN") && i + 1 < args.len() {
            o.min_len = args::int(&args[i + 1])?.max(0);
            i += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    if o.len && o.idx {
        return Err(CmdError::fixed(
            "ERR If you want both the length and indexes, please just use IDX.",
        ));
    }
    Ok(o)
}

fn lcs(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let o = lcs_options(&args[3..])?;
    let max_table = cx.server.config.int(crate::config::D::proto_max_bulk_len) as u64;
    let (db, out) = cx.db_out();
    let not_str = || CmdError::fixed("ERR The specified keys must contain string values");
    let a = match db.get(&args[1]) {
        Some(v) => v.as_str().map_err(|_| not_str())?.to_vec(),
        None => Vec::new(),
    };
    let b = match db.get(&args[2]) {
        Some(v) => v.as_str().map_err(|_| not_str())?.to_vec(),
        None => Vec::new(),
    };
    lcs_table_fits(a.len(), b.len(), max_table)?;
    let table = lcs_table(&a, &b);
    let total = table[a.len() * (b.len() + 1) + b.len()];
    if o.len {
        out.int(total as i64);
        return Ok(());
    }
    if !o.idx {
        out.bulk(&lcs_string(&table, &a, &b));
        return Ok(());
    }
    let matches = lcs_ranges(&table, &a, &b);
    let shown: Vec<_> = matches
        .iter()
        .filter(|m| (m.0 .1 - m.0 .0 + 1) as i64 >= o.min_len)
        .collect();
    out.map(2);
    out.bulk(b"matches");
    out.array(shown.len());
    for ((a0, a1), (b0, b1)) in shown {
        out.array(if o.with_len { 3 } else { 2 });
        out.array(2);
        out.int(*a0 as i64);
        out.int(*a1 as i64);
        out.array(2);
        out.int(*b0 as i64);
        out.int(*b1 as i64);
        if o.with_len {
            out.int((a1 - a0 + 1) as i64);
        }
    }
    out.bulk(b"len");
    out.int(total as i64);
    Ok(())
}

/// Redis's limits on the table of two strings of `a_len` and `b_len` bytes: lengths fit in 32 bits,
/// and its 4-byte cells in `max_bytes` (`proto-max-bulk-len`), so no command can ask for gigabytes.
fn lcs_table_fits(a_len: usize, b_len: usize, max_bytes: u64) -> Result<(), CmdError> {
    if a_len as u64 >= u32::MAX as u64 - 1 || b_len as u64 >= u32::MAX as u64 - 1 {
        return Err(CmdError::fixed("ERR String too long for LCS"));
    }
    if (a_len as u64 + 1) * (b_len as u64 + 1) * 4 > max_bytes {
        return Err(CmdError::fixed(
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        ));
    }
    Ok(())
}

/// Dynamic-programming table: cell (i, j) holds the LCS length of a[..i] and b[..j].
fn lcs_table(a: &[u8], b: &[u8]) -> Vec<u32> {
    let w = b.len() + 1;
    let mut t = vec![0u32; (a.len() + 1) * w];
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            t[i * w + j] = if a[i - 1] == b[j - 1] {
                t[(i - 1) * w + j - 1] + 1
            } else {
                t[(i - 1) * w + j].max(t[i * w + j - 1])
            };
        }
    }
    t
}

fn lcs_string(t: &[u32], a: &[u8], b: &[u8]) -> Vec<u8> {
    let w = b.len() + 1;
    let (mut i, mut j) = (a.len(), b.len());
    let mut out = Vec::new();
    while i > 0 && j > 0 {
        if a[i - 1] == b[j - 1] {
            out.push(a[i - 1]);
            i -= 1;
            j -= 1;
        } else if t[(i - 1) * w + j] > t[i * w + j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    out.reverse();
    out
}

/// Matching ranges ((a_start, a_end), (b_start, b_end)) from the end backwards, as Redis reports them.
type Span = (usize, usize);

fn lcs_ranges(t: &[u32], a: &[u8], b: &[u8]) -> Vec<(Span, Span)> {
    let w = b.len() + 1;
    let (mut i, mut j) = (a.len(), b.len());
    let mut out = Vec::new();
    let mut cur: Option<(Span, Span)> = None;
    while i > 0 && j > 0 {
        if a[i - 1] == b[j - 1] {
            let (ai, bj) = (i - 1, j - 1);
            cur = match cur {
                Some(((s, e), (bs, be))) if s == ai + 1 && bs == bj + 1 => {
                    Some(((ai, e), (bj, be)))
                }
                Some(m) => {
                    out.push(m);
                    Some(((ai, ai), (bj, bj)))
                }
                None => Some(((ai, ai), (bj, bj))),
            };
            i -= 1;
            j -= 1;
        } else if t[(i - 1) * w + j] > t[i * w + j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    if let Some(m) = cur {
        out.push(m);
    }
    out
}
