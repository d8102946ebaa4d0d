//! Generic keyspace commands: DEL UNLINK EXISTS TYPE, the EXPIRE family and TTL family, PERSIST, and
//! the multi-key/database commands (RENAME COPY MOVE SWAPDB KEYS SCAN RANDOMKEY TOUCH OBJECT...).

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;
use crate::db::hooks::class;
use crate::db::{clock, glob::glob_match};

/// Key-spec shorthand: one key at position 1.
const K1: (i32, i32, i32) = (1, 1, 1);
/// Key-spec shorthand: no key.
const NOKEY: (i32, i32, i32) = (0, 0, 0);

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("generic"; $($entry)*)
    };
}

macro_rules! srv {
    ($($entry:tt)*) => {
        super::table::command!("server"; $($entry)*)
    };
}

/// The generic key commands.
#[rustfmt::skip]
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
    cmd!("rename", 3, "write", (1, 2, 1), "keyspace write slow", "1.0.0", "Rename a key", "O(1)", rename),
    cmd!("renamenx", 3, "write fast", (1, 2, 1), "keyspace write fast", "1.0.0", "Rename a key, only if the new key does not exist", "O(1)", renamenx),
    cmd!("move", 3, "write fast", K1, "keyspace write fast", "1.0.0", "Move a key to another database", "O(1)", move_),
    cmd!("copy", -3, "write denyoom", (1, 2, 1), "keyspace write slow", "6.2.0", "Copy a key", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.", copy),
    cmd!("keys", 2, "readonly", NOKEY, "keyspace read slow dangerous", "1.0.0", "Find all keys matching the given pattern", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.", keys),
    cmd!("scan", -2, "readonly", NOKEY, "keyspace read slow", "2.8.0", "Incrementally iterate the keys space", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", scan),
    cmd!("randomkey", 1, "readonly", NOKEY, "keyspace read slow", "1.0.0", "Return a random key from the keyspace", "O(1)", randomkey),
    cmd!("touch", -2, "readonly fast", (1, -1, 1), "keyspace read fast", "3.2.1", "Alters the last access time of a key(s). Returns the number of existing keys specified.", "O(N) where N is the number of keys that will be touched.", touch),
    Command { name: "object", arity: -2, flags: "", acl: "slow", group: "generic", since: "2.2.3", summary: "A container for object introspection commands", complexity: "Depends on subcommand.", subcommands: OBJECT_SUBCOMMANDS, ..Command::DEFAULT },
    srv!("flushdb", -1, "write", NOKEY, "keyspace write slow dangerous", "1.0.0", "Remove all keys from the current database", "O(N) where N is the number of keys in the selected database", flushdb),
    srv!("flushall", -1, "write", NOKEY, "keyspace write slow dangerous", "1.0.0", "Remove all keys from all databases", "O(N) where N is the total number of keys in all databases", flushall),
    srv!("swapdb", 3, "write fast", NOKEY, "keyspace write fast dangerous", "4.0.0", "Swaps two Redis databases", "O(N) where N is the count of clients watching or blocking on keys from both databases.", swapdb),
];

/// OBJECT subcommands.
#[rustfmt::skip]
static OBJECT_SUBCOMMANDS: &[Command] = &[
    cmd!("encoding", 3, "readonly", (2, 2, 1), "keyspace read slow", "2.2.3", "Inspect the internal encoding of a Redis object", "O(1)", object_encoding),
    cmd!("freq", 3, "readonly", (2, 2, 1), "keyspace read slow", "4.0.0", "Get the logarithmic access frequency counter of a Redis object", "O(1)", object_freq),
    cmd!("idletime", 3, "readonly", (2, 2, 1), "keyspace read slow", "2.2.3", "Get the time since a Redis object was last accessed", "O(1)", object_idletime),
    cmd!("refcount", 3, "readonly", (2, 2, 1), "keyspace read slow", "2.2.3", "Get the number of references to the value of the key", "O(1)", object_refcount),
    cmd!("help", 2, "loading stale", NOKEY, "keyspace slow", "6.2.0", "Show helpful text about the different subcommands", "O(1)", object_help),
];

fn del(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let db = cx.db();
    let mut n = 0;
    for key in &args[1..] {
        if db.contains(key) {
            db.remove(key);
            db.signal_modified(key);
            db.notify(class::GENERIC, "del", key);
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
    let Some(current) = db.expire_at(key) else {
        cx.out.int(0);
        return Ok(());
    };
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
    let past = when <= clock::now_ms();
    if past {
        db.remove(key);
        db.notify(class::GENERIC, "del", key);
    } else {
        db.set_expire(key, when);
        db.notify(class::GENERIC, "expire", key);
    }
    db.signal_modified(key);
    cx.out.int(1);
    if past || relative || unit_ms != 1 {
        super::string::propagate_expiry(cx, key, when, past, &args[3..]);
    }
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
    let reply = match cx.db().expire_at(key) {
        None => -2,
        Some(0) => -1,
        Some(at) if absolute => {
            if ms {
                at
            } else {
                at / 1000
            }
        }
        Some(at) => {
            let left = (at - clock::now_ms()).max(0);
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
        db.notify(class::GENERIC, "persist", &args[1]);
    }
    cx.out.int(done as i64);
    Ok(())
}

fn rename_generic(cx: &mut Ctx, args: &[Vec<u8>], nx: bool) -> CmdResult {
    let (src, dst) = (&args[1], &args[2]);
    let db = cx.db();
    if !db.contains(src) {
        return Err(errors::NO_SUCH_KEY);
    }
    if src == dst {
        if nx {
            cx.out.int(0);
        } else {
            cx.out.ok();
        }
        return Ok(());
    }
    if nx && db.contains(dst) {
        cx.out.int(0);
        return Ok(());
    }
    if let Some(entry) = db.remove_entry(src) {
        db.insert_entry(dst, entry);
    }
    db.signal_modified(src);
    db.signal_modified(dst);
    db.notify(class::GENERIC, "rename_from", src);
    db.notify(class::GENERIC, "rename_to", dst);
    if nx {
        cx.out.int(1);
    } else {
        cx.out.ok();
    }
    Ok(())
}

fn rename(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    rename_generic(cx, args, false)
}

fn renamenx(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    rename_generic(cx, args, true)
}

/// Parses a database index argument.
fn db_index(cx: &Ctx, arg: &[u8]) -> Result<usize, CmdError> {
    let n = args::int(arg)?;
    if n < 0 || n as usize >= cx.server.dbs.len() {
        return Err(errors::DB_RANGE);
    }
    Ok(n as usize)
}

fn move_(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let target = db_index(cx, &args[2])?;
    let source = cx.client.db;
    if target == source {
        return Err(CmdError::fixed(
            "ERR source and destination objects are the same",
        ));
    }
    let key = &args[1];
    let dbs = &mut cx.server.dbs;
    if !dbs[source].contains(key) || dbs[target].contains(key) {
        cx.out.int(0);
        return Ok(());
    }
    if let Some(entry) = dbs[source].remove_entry(key) {
        dbs[target].insert_entry(key, entry);
    }
    dbs[source].signal_modified(key);
    dbs[target].signal_modified(key);
    dbs[source].notify(class::GENERIC, "move_from", key);
    dbs[target].notify(class::GENERIC, "move_to", key);
    cx.out.int(1);
    Ok(())
}

fn copy(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (src, dst) = (&args[1], &args[2]);
    let mut target = cx.client.db;
    let mut replace = false;
    let mut i = 3;
    while i < args.len() {
        if args::is(&args[i], "REPLACE") {
            replace = true;
        } else if args::is(&args[i], "DB") && i + 1 < args.len() {
            target = db_index(cx, &args[i + 1])?;
            i += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    let source = cx.client.db;
    if source == target && src == dst {
        return Err(CmdError::fixed(
            "ERR source and destination objects are the same",
        ));
    }
    let dbs = &mut cx.server.dbs;
    let Some(entry) = dbs[source].clone_entry(src) else {
        cx.out.int(0);
        return Ok(());
    };
    if dbs[target].contains(dst) && !replace {
        cx.out.int(0);
        return Ok(());
    }
    dbs[target].insert_entry(dst, entry);
    dbs[target].signal_modified(dst);
    dbs[target].notify(class::GENERIC, "copy_to", dst);
    cx.out.int(1);
    Ok(())
}

fn keys(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let pattern = &args[1];
    let all = pattern.as_slice() == b"*";
    let (db, out) = cx.db_out();
    let found: Vec<&[u8]> = db
        .keys()
        .filter(|(k, _, _)| all || glob_match(pattern, k, false))
        .map(|(k, _, _)| k)
        .collect();
    out.array(found.len());
    for k in found {
        out.bulk(k);
    }
    Ok(())
}

/// Options shared by SCAN-like commands.
pub struct ScanOptions {
    /// Cursor to resume from.
    pub cursor: u64,
    /// MATCH pattern (`None` for `*`).
    pub pattern: Option<Vec<u8>>,
    /// COUNT hint.
    pub count: usize,
    /// TYPE filter (SCAN only).
    pub type_name: Option<Vec<u8>>,
}

/// `ERR invalid cursor`.
const INVALID_CURSOR: CmdError = CmdError::fixed("ERR invalid cursor");

/// Parses a SCAN cursor like Redis's `parseScanCursorOrReply` (`strtoul` over the C string): optional
/// sign (a negative value wraps, so `-1` is the largest cursor), digits, no leading space, no
/// overflow; the empty string reads as 0 and the text ends at a NUL byte.
pub fn scan_cursor(arg: &[u8]) -> Result<u64, CmdError> {
    let arg = arg
        .iter()
        .position(|&c| c == 0)
        .map_or(arg, |end| &arg[..end]);
    let (neg, digits) = match arg.first() {
        None => return Ok(0),
        Some(b'-') => (true, &arg[1..]),
        Some(b'+') => (false, &arg[1..]),
        Some(_) => (false, arg),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(INVALID_CURSOR);
    }
    let mut v: u64 = 0;
    for &d in digits {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .ok_or(INVALID_CURSOR)?;
    }
    Ok(if neg { v.wrapping_neg() } else { v })
}

/// Parses `cursor [MATCH pattern] [COUNT count] [TYPE type]` (`TYPE` only when `allow_type`; options
/// repeat, the last wins) for SCAN, SSCAN, HSCAN and ZSCAN.
pub fn scan_options(args: &[Vec<u8>], allow_type: bool) -> Result<ScanOptions, CmdError> {
    let mut o = ScanOptions {
        cursor: scan_cursor(&args[0])?,
        pattern: None,
        count: 10,
        type_name: None,
    };
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        let val = args.get(i + 1).ok_or(errors::SYNTAX)?;
        if args::is(a, "COUNT") {
            let n = args::int(val)?;
            if n < 1 {
                return Err(errors::SYNTAX);
            }
            o.count = n as usize;
        } else if args::is(a, "MATCH") {
            o.pattern = (val.as_slice() != b"*").then(|| val.clone());
        } else if args::is(a, "TYPE") && allow_type {
            o.type_name = Some(val.to_ascii_lowercase());
        } else {
            return Err(errors::SYNTAX);
        }
        i += 2;
    }
    Ok(o)
}

fn scan(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let o = scan_options(&args[1..], true)?;
    let (db, out) = cx.db_out();
    let mut found: Vec<Vec<u8>> = Vec::new();
    let next = db.scan(o.cursor, o.count, |k, e| {
        let type_ok = o
            .type_name
            .as_ref()
            .is_none_or(|t| t.as_slice() == e.value.type_name().as_bytes());
        let match_ok = o.pattern.as_ref().is_none_or(|p| glob_match(p, k, false));
        if type_ok && match_ok {
            found.push(k.to_vec());
        }
    });
    out.array(2);
    out.bulk(next.to_string().as_bytes());
    out.array(found.len());
    for k in &found {
        out.bulk(k);
    }
    Ok(())
}

fn randomkey(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let key = cx.db().random_key();
    cx.out.bulk_opt(key.as_deref());
    Ok(())
}

fn touch(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let db = cx.db();
    let n = args[1..].iter().filter(|k| db.get_mut(k).is_some()).count();
    cx.out.int(n as i64);
    Ok(())
}

fn object_encoding(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    match db.entry(&args[2]) {
        Some(e) => out.bulk(e.value.encoding().as_bytes()),
        None => out.null(),
    }
    Ok(())
}

fn object_freq(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let lfu = cx.server.config.text(D::maxmemory_policy).contains("lfu");
    let (db, out) = cx.db_out();
    let Some(_) = db.entry(&args[2]) else {
        out.null();
        return Ok(());
    };
    if !lfu {
        return Err(CmdError::fixed("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."));
    }
    out.int(0);
    Ok(())
}

fn object_idletime(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let lfu = cx.server.config.text(D::maxmemory_policy).contains("lfu");
    let (db, out) = cx.db_out();
    let Some(e) = db.entry(&args[2]) else {
        out.null();
        return Ok(());
    };
    if lfu {
        return Err(CmdError::fixed("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."));
    }
    out.int(clock::lru_clock().saturating_sub(e.lru) as i64);
    Ok(())
}

fn object_refcount(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let Some(e) = db.entry(&args[2]) else {
        out.null();
        return Ok(());
    };
    let shared = match &e.value {
        crate::db::Value::Str(s) => {
            crate::resp::parser::parse_i64(s).is_some_and(|n| (0..10000).contains(&n))
        }
        _ => false,
    };
    out.int(if shared { i32::MAX as i64 } else { 1 });
    Ok(())
}

fn object_help(cx: &mut Ctx, _args: &[Vec<u8>]) -> CmdResult {
    let lines = [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.simple_lines(&lines);
    Ok(())
}

/// Parses the optional `ASYNC|SYNC` argument of FLUSHDB/FLUSHALL.
fn flush_mode(args: &[Vec<u8>]) -> Result<(), CmdError> {
    match args.get(1) {
        None => Ok(()),
        Some(a) if args.len() == 2 && (args::is(a, "ASYNC") || args::is(a, "SYNC")) => Ok(()),
        Some(_) => Err(errors::SYNTAX),
    }
}

fn flushdb(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    flush_mode(args)?;
    let db = cx.db();
    let n = db.flush();
    db.dirty += n as u64;
    super::tracking::on_flush(cx.server);
    cx.out.ok();
    Ok(())
}

fn flushall(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    flush_mode(args)?;
    for db in &mut cx.server.dbs {
        let n = db.flush();
        db.dirty += n as u64;
    }
    super::tracking::on_flush(cx.server);
    cx.out.ok();
    Ok(())
}

fn swapdb(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let n = cx.server.dbs.len() as i64;
    let a = args::int_or(&args[1], CmdError::fixed("ERR invalid first DB index"))?;
    let b = args::int_or(&args[2], CmdError::fixed("ERR invalid second DB index"))?;
    if a < 0 || a >= n || b < 0 || b >= n {
        return Err(errors::DB_RANGE);
    }
    let (lo, hi) = (a.min(b) as usize, a.max(b) as usize);
    if lo != hi {
        let (left, right) = cx.server.dbs.split_at_mut(hi);
        left[lo].swap_keyspace(&mut right[0]);
    }
    cx.out.ok();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::scan_cursor;

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(scan_cursor(b"").unwrap(), 0);
        assert_eq!(scan_cursor(b"+7").unwrap(), 7);
        assert_eq!(scan_cursor(b"7\0junk").unwrap(), 7);
        assert_eq!(scan_cursor(b"-1").unwrap(), u64::MAX);
        assert!(scan_cursor(b"-").is_err());
        assert!(scan_cursor(b" 1").is_err());
        assert!(scan_cursor(b"1 ").is_err());
        assert!(scan_cursor(b"0x1").is_err());
        assert!(scan_cursor(b"18446744073709551616").is_err());
    }
}
