//! The hash commands (HSET HGET HDEL ... HRANDFIELD HSCAN). Key decisions: every handler goes through
//! two helpers — [`read`] (lookup for reading, WRONGTYPE check) and [`write`] (lookup or create) — and
//! the encoding thresholds are read from the config once per call ([`limits`]); `HINCRBYFLOAT` uses
//! software `long double` arithmetic ([`long_double`]) so its results print exactly as Redis's.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;
use crate::db::hash::Limits;
use crate::db::hooks::class;
use crate::db::long_double::{self, LongDouble, Parsed};
use crate::db::{glob::glob_match, random_index, Db, Hash, Value};
use crate::resp::Reply;

macro_rules! cmd {
    ($name:literal, $arity:expr, $flags:literal, $($rest:tt)*) => {
        super::table::command!("hash"; $name, $arity, $flags, (1, 1, 1), $($rest)*)
    };
}

/// The hash commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("hset", -4, "write denyoom fast", "write hash fast", "2.0.0", "Set the string value of a hash field", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.", hset),
    cmd!("hsetnx", 4, "write denyoom fast", "write hash fast", "2.0.0", "Set the value of a hash field, only if the field does not exist", "O(1)", hsetnx),
    cmd!("hget", 3, "readonly fast", "read hash fast", "2.0.0", "Get the value of a hash field", "O(1)", hget),
    cmd!("hmset", -4, "write denyoom fast", "write hash fast", "2.0.0", "Set multiple hash fields to multiple values", "O(N) where N is the number of fields being set.", hmset),
    cmd!("hmget", -3, "readonly fast", "read hash fast", "2.0.0", "Get the values of all the given hash fields", "O(N) where N is the number of fields being requested.", hmget),
    cmd!("hgetall", 2, "readonly", "read hash slow", "2.0.0", "Get all the fields and values in a hash", "O(N) where N is the size of the hash.", hgetall),
    cmd!("hdel", -3, "write fast", "write hash fast", "2.0.0", "Delete one or more hash fields", "O(N) where N is the number of fields to be removed.", hdel),
    cmd!("hexists", 3, "readonly fast", "read hash fast", "2.0.0", "Determine if a hash field exists", "O(1)", hexists),
    cmd!("hlen", 2, "readonly fast", "read hash fast", "2.0.0", "Get the number of fields in a hash", "O(1)", hlen),
    cmd!("hkeys", 2, "readonly", "read hash slow", "2.0.0", "Get all the fields in a hash", "O(N) where N is the size of the hash.", hkeys),
    cmd!("hvals", 2, "readonly", "read hash slow", "2.0.0", "Get all the values in a hash", "O(N) where N is the size of the hash.", hvals),
    cmd!("hincrby", 4, "write denyoom fast", "write hash fast", "2.0.0", "Increment the integer value of a hash field by the given number", "O(1)", hincrby),
    cmd!("hincrbyfloat", 4, "write denyoom fast", "write hash fast", "2.6.0", "Increment the float value of a hash field by the given amount", "O(1)", hincrbyfloat),
    cmd!("hstrlen", 3, "readonly fast", "read hash fast", "3.2.0", "Get the length of the value of a hash field", "O(1)", hstrlen),
    cmd!("hrandfield", -2, "readonly", "read hash slow", "6.2.0", "Get one or multiple random fields from a hash", "O(N) where N is the number of fields returned", hrandfield),
    cmd!("hscan", -3, "readonly", "read hash slow", "2.8.0", "Incrementally iterate hash fields and associated values", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", hscan),
];

/// The configured listpack thresholds.
fn limits(cx: &Ctx) -> Limits {
    let cfg = &cx.server.config;
    Limits {
        entries: cfg.int(D::hash_max_listpack_entries).max(0) as usize,
        value: cfg.int(D::hash_max_listpack_value).max(0) as usize,
    }
}

/// The hash under `key` for reading: `None` when missing, WRONGTYPE for other types.
fn read<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a Hash>, CmdError> {
    match db.get(key) {
        Some(v) => Ok(Some(v.as_hash()?)),
        None => Ok(None),
    }
}

/// The hash under `key` for writing, created empty when missing; WRONGTYPE for other types.
fn write<'a>(db: &'a mut Db, key: &[u8]) -> Result<&'a mut Hash, CmdError> {
    Ok(db
        .get_or_insert_with(key, || Value::Hash(Hash::default()))
        .as_hash_mut()?)
}

/// Sets every field/value pair of `pairs`; returns how many fields were new.
fn set_pairs(cx: &mut Ctx, key: &[u8], pairs: &[Vec<u8>], name: &str) -> Result<i64, CmdError> {
    if !pairs.len().is_multiple_of(2) {
        return Err(errors::wrong_arity(name));
    }
    let limits = limits(cx);
    let db = cx.db();
    let h = write(db, key)?;
    h.prepare_for(pairs.iter().map(|a| a.len()), limits);
    let added = pairs
        .chunks_exact(2)
        .filter(|p| h.set(&p[0], &p[1], limits))
        .count();
    db.signal_modified(key);
    db.notify(class::HASH, "hset", key);
    Ok(added as i64)
}

fn hset(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let added = set_pairs(cx, &args[1], &args[2..], "hset")?;
    cx.out.int(added);
    Ok(())
}

fn hmset(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    set_pairs(cx, &args[1], &args[2..], "hmset")?;
    cx.out.ok();
    Ok(())
}

fn hsetnx(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let limits = limits(cx);
    let (key, field, value) = (&args[1], &args[2], &args[3]);
    let (db, out) = cx.db_out();
    let h = write(db, key)?;
    if h.contains(field) {
        out.int(0);
        return Ok(());
    }
    h.set(field, value, limits);
    db.signal_modified(key);
    db.notify(class::HASH, "hset", key);
    out.int(1);
    Ok(())
}

fn hget(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    out.bulk_opt(read(db, &args[1])?.and_then(|h| h.get(&args[2])));
    Ok(())
}

fn hmget(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let h = read(db, &args[1])?;
    out.array(args.len() - 2);
    for field in &args[2..] {
        out.bulk_opt(h.and_then(|h| h.get(field)));
    }
    Ok(())
}

/// Which parts of each pair HGETALL/HKEYS/HVALS send.
#[derive(Clone, Copy, PartialEq)]
enum Parts {
    Both,
    Fields,
    Values,
}

fn get_all(cx: &mut Ctx, key: &[u8], parts: Parts) -> CmdResult {
    let (db, out) = cx.db_out();
    let h = read(db, key)?;
    let n = h.map_or(0, |h| h.len());
    if parts == Parts::Both {
        out.map(n);
    } else {
        out.array(n);
    }
    for (f, v) in h.iter().flat_map(|h| h.iter()) {
        if parts != Parts::Values {
            out.bulk(f);
        }
        if parts != Parts::Fields {
            out.bulk(v);
        }
    }
    Ok(())
}

fn hgetall(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    get_all(cx, &args[1], Parts::Both)
}

fn hkeys(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    get_all(cx, &args[1], Parts::Fields)
}

fn hvals(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    get_all(cx, &args[1], Parts::Values)
}

fn hdel(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let key = &args[1];
    let (db, out) = cx.db_out();
    let Some(v) = db.get_mut(key) else {
        out.int(0);
        return Ok(());
    };
    let h = v.as_hash_mut()?;
    let mut deleted = 0;
    for field in &args[2..] {
        if h.remove(field) {
            deleted += 1;
            if h.is_empty() {
                break;
            }
        }
    }
    if deleted > 0 {
        db.notify(class::HASH, "hdel", key);
        db.remove_if_empty(key);
        db.signal_modified(key);
    }
    out.int(deleted);
    Ok(())
}

fn hexists(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let found = read(db, &args[1])?.is_some_and(|h| h.contains(&args[2]));
    out.int(found as i64);
    Ok(())
}

fn hlen(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    out.int(read(db, &args[1])?.map_or(0, |h| h.len()) as i64);
    Ok(())
}

fn hstrlen(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let len = read(db, &args[1])?
        .and_then(|h| h.get(&args[2]))
        .map_or(0, |v| v.len());
    out.int(len as i64);
    Ok(())
}

fn hincrby(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let by = args::int(&args[3])?;
    let limits = limits(cx);
    let (key, field) = (&args[1], &args[2]);
    let (db, out) = cx.db_out();
    let h = write(db, key)?;
    let cur = match h.get(field) {
        Some(v) => crate::resp::parser::parse_i64(v)
            .ok_or(CmdError::fixed("ERR hash value is not an integer"))?,
        None => 0,
    };
    let n = cur.checked_add(by).ok_or(errors::OVERFLOW)?;
    let mut tmp = [0u8; 20];
    h.set(field, crate::resp::reply::fmt_int(&mut tmp, n), limits);
    db.signal_modified(key);
    db.notify(class::HASH, "hincrby", key);
    out.int(n);
    Ok(())
}

fn hincrbyfloat(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let by = match long_double::parse(&args[3]) {
        Parsed::Finite(x) => x,
        Parsed::Infinite => return Err(CmdError::fixed("ERR value is NaN or Infinity")),
        Parsed::Invalid => return Err(errors::NOT_FLOAT),
    };
    let limits = limits(cx);
    let (key, field) = (&args[1], &args[2]);
    let (db, out) = cx.db_out();
    let h = write(db, key)?;
    let cur = match h.get(field).map(long_double::parse) {
        Some(Parsed::Finite(x)) => Some(x),
        Some(Parsed::Infinite) => None,
        Some(Parsed::Invalid) => return Err(CmdError::fixed("ERR hash value is not a float")),
        None => Some(LongDouble::from_i64(0)),
    };
    let sum = cur.and_then(|c| c.checked_add(by)).ok_or(CmdError::fixed(
        "ERR increment would produce NaN or Infinity",
    ))?;
    let text = sum.to_human();
    h.set(field, text.as_bytes(), limits);
    db.signal_modified(key);
    db.notify(class::HASH, "hincrbyfloat", key);
    out.bulk(text.as_bytes());
    let prop = &mut cx.server.propagation;
    prop.propagate_as(&[b"HSET", key, field, text.as_bytes()]);
    Ok(())
}

/// Parses HRANDFIELD's count (and WITHVALUES); `None` without a count.
fn randfield_args(args: &[Vec<u8>]) -> Result<Option<(i64, bool)>, CmdError> {
    let Some(count) = args.get(2) else {
        return Ok(None);
    };
    let n = args::int(count)?;
    if n == i64::MIN {
        return Err(CmdError::fixed(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    let with_values = match &args[3..] {
        [] => false,
        [w] if args::is(w, "WITHVALUES") => true,
        _ => return Err(errors::SYNTAX),
    };
    if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&n) {
        return Err(CmdError::fixed("ERR value is out of range"));
    }
    Ok(Some((n, with_values)))
}

fn hrandfield(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let parsed = randfield_args(args)?;
    let (db, out) = cx.db_out();
    let h = read(db, &args[1])?;
    match (parsed, h) {
        (None, None) => out.null(),
        (None, Some(h)) => out.bulk_opt(h.nth(random_index(h.len())).map(|(f, _)| f)),
        (Some(_), None) => out.array(0),
        (Some((n, with_values)), Some(h)) => random_fields(out, h, n, with_values),
    }
    Ok(())
}

/// HRANDFIELD with a count: `n < 0` samples with repetition; `n > 0` distinct fields (the whole hash
/// in its own order when `n` covers it, a listpack's picks in listpack order, like Redis).
fn random_fields(out: &mut Reply, h: &Hash, n: i64, with_values: bool) {
    let pairs: Vec<(&[u8], &[u8])> = h.iter().collect();
    let picks: Vec<usize> = if n < 0 {
        (0..n.unsigned_abs())
            .map(|_| random_index(pairs.len()))
            .collect()
    } else if n as usize >= pairs.len() {
        (0..pairs.len()).collect()
    } else {
        let mut idx: Vec<usize> = (0..pairs.len()).collect();
        for i in 0..n as usize {
            let j = i + random_index(idx.len() - i);
            idx.swap(i, j);
        }
        idx.truncate(n as usize);
        if matches!(h, Hash::Listpack(_)) {
            idx.sort_unstable();
        }
        idx
    };
    let resp3_pairs = with_values && out.resp3;
    out.array(if with_values && !out.resp3 {
        picks.len() * 2
    } else {
        picks.len()
    });
    for i in picks {
        let (f, v) = pairs[i];
        if resp3_pairs {
            out.array(2);
        }
        out.bulk(f);
        if with_values {
            out.bulk(v);
        }
    }
}

fn hscan(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    super::keys::scan_cursor(&args[2])?;
    let (db, out) = cx.db_out();
    let Some(h) = read(db, &args[1])? else {
        out.array(2);
        out.bulk(b"0");
        out.array(0);
        return Ok(());
    };
    let o = super::keys::scan_options(&args[2..], false)?;
    let mut found: Vec<(&[u8], &[u8])> = Vec::new();
    let next = h.scan(o.cursor, o.count, |f, v| {
        if o.pattern.as_ref().is_none_or(|p| glob_match(p, f, false)) {
            found.push((f, v));
        }
    });
    out.array(2);
    out.bulk(next.to_string().as_bytes());
    out.array(found.len() * 2);
    for (f, v) in found {
        out.bulk(f);
        out.bulk(v);
    }
    Ok(())
}
