//! The set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE, the algebra
//! (SINTER SINTERCARD SUNION SDIFF and their STORE forms) and SSCAN. Key decisions: results of the set
//! algebra are built by adding members to a fresh set that starts as an intset, exactly like Redis's
//! `dstset`, so their encoding and (for intsets) their ascending order match redis-server; the random
//! commands follow Redis 7.0's case split (which decides the resulting encoding after SPOP with count).
//! Multi-key commands look every key up once first (type errors in key order, keyspace statistics as
//! Redis counts them), then copy what they need so only one set is borrowed at a time.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;
use crate::db::glob::glob_match;
use crate::db::hooks::class;
use crate::db::set::{Elem, Member};
use crate::db::{random_index, Db, Set, Value};
use crate::resp::Reply;
use std::collections::HashSet;

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("set"; $($entry)*)
    };
}

/// Key-spec shorthand: one key at position 1.
const K1: (i32, i32, i32) = (1, 1, 1);
/// Key-spec shorthand: every argument from position 1 is a key.
const ALL: (i32, i32, i32) = (1, -1, 1);

const INTER: &str =
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
const UNION: &str = "O(N) where N is the total number of elements in all given sets.";

/// The set commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("sadd", -3, "write denyoom fast", K1, "write set fast", "1.0.0", "Add one or more members to a set", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", sadd),
    cmd!("srem", -3, "write fast", K1, "write set fast", "1.0.0", "Remove one or more members from a set", "O(N) where N is the number of members to be removed.", srem),
    cmd!("smembers", 2, "readonly", K1, "read set slow", "1.0.0", "Get all the members in a set", "O(N) where N is the set cardinality.", smembers),
    cmd!("sismember", 3, "readonly fast", K1, "read set fast", "1.0.0", "Determine if a given value is a member of a set", "O(1)", sismember),
    cmd!("smismember", -3, "readonly fast", K1, "read set fast", "6.2.0", "Returns the membership associated with the given elements for a set", "O(N) where N is the number of elements being checked for membership", smismember),
    cmd!("scard", 2, "readonly fast", K1, "read set fast", "1.0.0", "Get the number of members in a set", "O(1)", scard),
    cmd!("spop", -2, "write fast", K1, "write set fast", "1.0.0", "Remove and return one or multiple random members from a set", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.", spop),
    cmd!("srandmember", -2, "readonly", K1, "read set slow", "1.0.0", "Get one or multiple random members from a set", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.", srandmember),
    cmd!("smove", 4, "write fast", (1, 2, 1), "write set fast", "1.0.0", "Move a member from one set to another", "O(1)", smove),
    cmd!("sinter", -2, "readonly", ALL, "read set slow", "1.0.0", "Intersect multiple sets", INTER, sinter),
    cmd!("sintercard", -3, "readonly movablekeys", (0, 0, 0), "read set slow", "7.0.0", "Intersect multiple sets and return the cardinality of the result", INTER, sintercard),
    cmd!("sinterstore", -3, "write denyoom", ALL, "write set slow", "1.0.0", "Intersect multiple sets and store the resulting set in a key", INTER, sinterstore),
    cmd!("sunion", -2, "readonly", ALL, "read set slow", "1.0.0", "Add multiple sets", UNION, sunion),
    cmd!("sunionstore", -3, "write denyoom", ALL, "write set slow", "1.0.0", "Add multiple sets and store the resulting set in a key", UNION, sunionstore),
    cmd!("sdiff", -2, "readonly", ALL, "read set slow", "1.0.0", "Subtract multiple sets", UNION, sdiff),
    cmd!("sdiffstore", -3, "write denyoom", ALL, "write set slow", "1.0.0", "Subtract multiple sets and store the resulting set in a key", UNION, sdiffstore),
    cmd!("sscan", -3, "readonly", K1, "read set slow", "2.8.0", "Incrementally iterate Set elements", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", sscan),
];

/// `SPOP` with a count pops one by one while `remaining * SPOP_MOVE_STRATEGY_MUL > count`; otherwise it
/// moves the members that stay into a new set (Redis's constant and test).
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;
/// `SRANDMEMBER` with a count shuffles all positions when `count * 3 > size`, else samples.
const SRANDMEMBER_SUB_STRATEGY_MUL: usize = 3;

const POSITIVE: CmdError = CmdError::fixed("ERR value is out of range, must be positive");
const SRAND_RANGE: CmdError = CmdError::fixed(
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
);
const NUMKEYS: CmdError = CmdError::fixed("ERR numkeys should be greater than 0");
const TOO_MANY_KEYS: CmdError =
    CmdError::fixed("ERR Number of keys can't be greater than number of args");
const LIMIT_NEGATIVE: CmdError = CmdError::fixed("ERR LIMIT can't be negative");

/// `set-max-intset-entries`.
fn max_ints(cx: &Ctx) -> usize {
    usize::try_from(cx.server.config.int(D::set_max_intset_entries)).unwrap_or(0)
}

/// The set under `key` for reading (counts a hit or miss): `None` when missing, WRONGTYPE otherwise.
fn read<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a Set>, CmdError> {
    match db.get(key) {
        Some(v) => Ok(Some(v.as_set()?)),
        None => Ok(None),
    }
}

/// The set under `key` for writing: `None` when missing, WRONGTYPE otherwise.
fn write<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a mut Set>, CmdError> {
    match db.get_mut(key) {
        Some(v) => Ok(Some(v.as_set_mut()?)),
        None => Ok(None),
    }
}

/// A set already looked up and type-checked by [`cardinalities`] (no statistics counted again).
fn peek<'a>(db: &'a mut Db, key: &[u8]) -> Option<&'a Set> {
    db.get_mut(key).and_then(|v| v.as_set().ok())
}

/// Looks every key up once, in order: the cardinality of each (`None` for a missing key), or the
/// first WRONGTYPE.
fn cardinalities(db: &mut Db, keys: &[Vec<u8>]) -> Result<Vec<Option<usize>>, CmdError> {
    keys.iter()
        .map(|k| Ok(read(db, k)?.map(Set::len)))
        .collect()
}

/// Writes one member as a bulk string.
fn bulk_member(out: &mut Reply, m: Member) {
    match m {
        Member::Int(i) => out.bulk_int(i),
        Member::Bytes(b) => out.bulk(b),
    }
}

/// Writes a whole set as a set reply (an array in RESP2), in iteration order.
fn reply_set(out: &mut Reply, set: &Set) {
    out.set(set.len());
    for m in set.iter() {
        bulk_member(out, m);
    }
}

/// A new set holding `elems` (starting as an intset, like Redis's result sets).
fn collect(elems: &[Elem], max_ints: usize) -> Set {
    let mut set = Set::default();
    for e in elems {
        set.add(e.as_member(), max_ints);
    }
    set
}

/// Stores `set` under `dst` replacing any value (and its TTL), or deletes `dst` when `set` is empty;
/// replies with the cardinality.
fn store(db: &mut Db, out: &mut Reply, dst: &[u8], set: Set, event: &'static str) {
    let n = set.len();
    if n > 0 {
        db.set(dst, Value::Set(set));
        db.signal_modified(dst);
        db.notify(class::SET, event, dst);
    } else if db.contains(dst) {
        db.remove(dst);
        db.signal_modified(dst);
        db.notify(class::GENERIC, "del", dst);
    }
    out.int(n as i64);
}

fn sadd(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let max = max_ints(cx);
    let key = &args[1];
    let (db, out) = cx.db_out();
    let set = db
        .get_or_insert_with(key, || Value::Set(Set::default()))
        .as_set_mut()?;
    let added = args[2..].iter().filter(|m| set.insert(m, max)).count();
    if added > 0 {
        db.signal_modified(key);
        db.notify(class::SET, "sadd", key);
    }
    out.int(added as i64);
    Ok(())
}

fn srem(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let key = &args[1];
    let (db, out) = cx.db_out();
    let Some(set) = write(db, key)? else {
        out.int(0);
        return Ok(());
    };
    let removed = args[2..].iter().filter(|m| set.remove(m)).count();
    if removed > 0 {
        db.notify(class::SET, "srem", key);
        db.remove_if_empty(key);
        db.signal_modified(key);
    }
    out.int(removed as i64);
    Ok(())
}

fn smembers(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    match read(db, &args[1])? {
        Some(set) => reply_set(out, set),
        None => out.set(0),
    }
    Ok(())
}

fn sismember(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let found = read(db, &args[1])?.is_some_and(|s| s.contains(&args[2]));
    out.int(found as i64);
    Ok(())
}

fn smismember(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let set = read(db, &args[1])?;
    out.array(args.len() - 2);
    for m in &args[2..] {
        out.int(set.is_some_and(|s| s.contains(m)) as i64);
    }
    Ok(())
}

fn scard(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let n = read(db, &args[1])?.map_or(0, Set::len);
    out.int(n as i64);
    Ok(())
}

fn spop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    match args.len() {
        2 => spop_one(cx, &args[1]),
        3 => spop_count(cx, &args[1], &args[2]),
        _ => Err(errors::SYNTAX),
    }
}

fn spop_one(cx: &mut Ctx, key: &[u8]) -> CmdResult {
    let (db, out) = cx.db_out();
    let Some(set) = write(db, key)? else {
        out.null();
        return Ok(());
    };
    let popped = set.pop_random();
    match &popped {
        Some(e) => bulk_member(out, e.as_member()),
        None => out.null(),
    }
    db.notify(class::SET, "spop", key);
    db.remove_if_empty(key);
    db.signal_modified(key);
    if let Some(e) = popped {
        let member = e.as_member().to_vec();
        cx.server.propagation.propagate_as(&[b"SREM", key, &member]);
    }
    Ok(())
}

fn spop_count(cx: &mut Ctx, key: &[u8], count: &[u8]) -> CmdResult {
    let count = args::int_or(count, POSITIVE)?;
    let count = u64::try_from(count).map_err(|_| POSITIVE)?;
    let max = max_ints(cx);
    let (db, out) = cx.db_out();
    let Some(set) = write(db, key)? else {
        out.set(0);
        return Ok(());
    };
    if count == 0 {
        out.set(0);
        return Ok(());
    }
    let size = set.len() as u64;
    let mut popped = Vec::new();
    if count >= size {
        reply_set(out, set);
        db.remove(key);
        db.notify(class::SET, "spop", key);
        db.notify(class::GENERIC, "del", key);
    } else if (size - count) * SPOP_MOVE_STRATEGY_MUL > count {
        out.set(count as usize);
        for _ in 0..count {
            if let Some(e) = set.pop_random() {
                bulk_member(out, e.as_member());
                popped.push(e.as_member().to_vec());
            }
        }
    } else {
        let mut kept = Set::default();
        for _ in 0..size - count {
            if let Some(e) = set.pop_random() {
                kept.add(e.as_member(), max);
            }
        }
        reply_set(out, set);
        popped.extend(set.iter().map(|m| m.to_vec()));
        *set = kept;
    }
    if count < size {
        db.notify(class::SET, "spop", key);
    }
    db.signal_modified(key);
    propagate_spop(cx, key, count >= size, popped);
    Ok(())
}

/// How `SPOP key count` propagates: `DEL key` when it took the whole set, else one `SREM` per
/// member popped (`spopWithCountCommand`).
fn propagate_spop(cx: &mut Ctx, key: &[u8], whole: bool, popped: Vec<Vec<u8>>) {
    let db = cx.client.db;
    let prop = &mut cx.server.propagation;
    if whole {
        prop.propagate_as(&[b"DEL", key]);
        return;
    }
    prop.prevent();
    for m in popped {
        let argv = vec![b"SREM".to_vec(), key.to_vec(), m];
        prop.also(db, argv, crate::propagate::target::ALL);
    }
}

fn srandmember(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    match args.len() {
        2 => {
            let (db, out) = cx.db_out();
            match read(db, &args[1])?.and_then(Set::random) {
                Some(m) => bulk_member(out, m),
                None => out.null(),
            }
            Ok(())
        }
        3 => srandmember_count(cx, &args[1], &args[2]),
        _ => Err(errors::SYNTAX),
    }
}

fn srandmember_count(cx: &mut Ctx, key: &[u8], count: &[u8]) -> CmdResult {
    let count = args::int(count)?;
    if count == i64::MIN {
        return Err(SRAND_RANGE);
    }
    let (db, out) = cx.db_out();
    let Some(set) = read(db, key)? else {
        out.array(0);
        return Ok(());
    };
    let n = count.unsigned_abs() as usize;
    if count < 0 {
        out.array(n);
        for _ in 0..n {
            if let Some(m) = set.random() {
                bulk_member(out, m);
            }
        }
    } else if n >= set.len() {
        out.array(set.len());
        for m in set.iter() {
            bulk_member(out, m);
        }
    } else {
        out.array(n);
        for i in distinct_positions(set.len(), n) {
            if let Some(m) = set.get(i) {
                bulk_member(out, m);
            }
        }
    }
    Ok(())
}

/// `count` distinct random positions below `len` (`count < len`): a partial shuffle when most
/// positions are wanted, rejection sampling otherwise.
fn distinct_positions(len: usize, count: usize) -> Vec<usize> {
    if count * SRANDMEMBER_SUB_STRATEGY_MUL > len {
        let mut all: Vec<usize> = (0..len).collect();
        for i in 0..count {
            let j = i + random_index(len - i);
            all.swap(i, j);
        }
        all.truncate(count);
        return all;
    }
    let mut seen = HashSet::with_capacity(count);
    let mut picked = Vec::with_capacity(count);
    while picked.len() < count {
        let i = random_index(len);
        if seen.insert(i) {
            picked.push(i);
        }
    }
    picked
}

fn smove(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (src, dst, member) = (&args[1], &args[2], &args[3]);
    let max = max_ints(cx);
    let (db, out) = cx.db_out();
    if db.get_mut(src).is_none() {
        out.int(0);
        return Ok(());
    }
    write(db, src)?;
    write(db, dst)?;
    if src == dst {
        let found = peek(db, src).is_some_and(|s| s.contains(member));
        out.int(found as i64);
        return Ok(());
    }
    let removed = write(db, src)?.is_some_and(|s| s.remove(member));
    if !removed {
        out.int(0);
        return Ok(());
    }
    db.notify(class::SET, "srem", src);
    db.remove_if_empty(src);
    db.signal_modified(src);
    let set = db
        .get_or_insert_with(dst, || Value::Set(Set::default()))
        .as_set_mut()?;
    if set.insert(member, max) {
        db.signal_modified(dst);
        db.notify(class::SET, "sadd", dst);
    }
    out.int(1);
    Ok(())
}

/// The members common to every set under `keys`, in the iteration order of the smallest set; empty
/// when a key is missing.
fn intersection(db: &mut Db, keys: &[Vec<u8>]) -> Result<Vec<Elem>, CmdError> {
    let sizes = cardinalities(db, keys)?;
    if sizes.iter().any(Option::is_none) {
        return Ok(Vec::new());
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| sizes[i]);
    let first = &keys[order[0]];
    let mut common: Vec<Elem> = peek(db, first)
        .map(|s| s.iter().map(Member::to_elem).collect())
        .unwrap_or_default();
    for &i in &order[1..] {
        if common.is_empty() {
            break;
        }
        if keys[i] == *first {
            continue;
        }
        match peek(db, &keys[i]) {
            Some(s) => common.retain(|e| s.contains_member(e.as_member())),
            None => common.clear(),
        }
    }
    Ok(common)
}

/// The union of the sets under `keys` (missing keys are empty sets).
fn union(db: &mut Db, keys: &[Vec<u8>], max: usize) -> Result<Set, CmdError> {
    cardinalities(db, keys)?;
    let mut result = Set::default();
    for k in keys {
        if let Some(s) = peek(db, k) {
            for m in s.iter() {
                result.add(m, max);
            }
        }
    }
    Ok(result)
}

/// The members of the first set found in none of the others. Like Redis, picks between checking each
/// first-set member against the others and copying the first set then removing the others' members
/// (which decides the result's encoding when the removed members were not integers).
fn difference(db: &mut Db, keys: &[Vec<u8>], max: usize) -> Result<Set, CmdError> {
    let sizes = cardinalities(db, keys)?;
    let Some(first_len) = sizes[0] else {
        return Ok(Set::default());
    };
    let present = sizes.iter().flatten();
    let lookup_work = present.clone().count() * first_len / 2;
    let removal_work: usize = present.sum();
    let first: Vec<Elem> = peek(db, &keys[0])
        .map(|s| s.iter().map(Member::to_elem).collect())
        .unwrap_or_default();
    if lookup_work <= removal_work {
        let mut rest = first;
        for k in &keys[1..] {
            if let Some(s) = peek(db, k) {
                rest.retain(|e| !s.contains_member(e.as_member()));
            }
        }
        return Ok(collect(&rest, max));
    }
    let mut result = collect(&first, max);
    for k in &keys[1..] {
        if result.is_empty() {
            break;
        }
        if let Some(s) = peek(db, k) {
            for m in s.iter() {
                result.remove_member(m);
            }
        }
    }
    Ok(result)
}

fn sinter(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let common = intersection(db, &args[1..])?;
    out.set(common.len());
    for e in &common {
        bulk_member(out, e.as_member());
    }
    Ok(())
}

fn sintercard(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let numkeys = args::int_or(&args[1], NUMKEYS)?;
    if numkeys < 1 {
        return Err(NUMKEYS);
    }
    if numkeys > (args.len() - 2) as i64 {
        return Err(TOO_MANY_KEYS);
    }
    let keys_end = 2 + numkeys as usize;
    let mut limit = 0usize;
    let mut i = keys_end;
    while i < args.len() {
        if args::is(&args[i], "LIMIT") && i + 1 < args.len() {
            let n = args::int_or(&args[i + 1], LIMIT_NEGATIVE)?;
            limit = usize::try_from(n).map_err(|_| LIMIT_NEGATIVE)?;
            i += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    let (db, out) = cx.db_out();
    let n = intersection(db, &args[2..keys_end])?.len();
    let n = if limit > 0 { n.min(limit) } else { n };
    out.int(n as i64);
    Ok(())
}

fn sinterstore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let max = max_ints(cx);
    let (db, out) = cx.db_out();
    let common = intersection(db, &args[2..])?;
    store(db, out, &args[1], collect(&common, max), "sinterstore");
    Ok(())
}

fn sunion(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let max = max_ints(cx);
    let (db, out) = cx.db_out();
    let set = union(db, &args[1..], max)?;
    reply_set(out, &set);
    Ok(())
}

fn sunionstore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let max = max_ints(cx);
    let (db, out) = cx.db_out();
    let set = union(db, &args[2..], max)?;
    store(db, out, &args[1], set, "sunionstore");
    Ok(())
}

fn sdiff(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let max = max_ints(cx);
    let (db, out) = cx.db_out();
    let set = difference(db, &args[1..], max)?;
    reply_set(out, &set);
    Ok(())
}

fn sdiffstore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let max = max_ints(cx);
    let (db, out) = cx.db_out();
    let set = difference(db, &args[2..], max)?;
    store(db, out, &args[1], set, "sdiffstore");
    Ok(())
}

fn sscan(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let cursor = super::keys::scan_cursor(&args[2])?;
    let (db, out) = cx.db_out();
    let Some(set) = read(db, &args[1])? else {
        out.array(2);
        out.bulk(b"0");
        out.array(0);
        return Ok(());
    };
    let o = super::keys::scan_options(&args[2..], false)?;
    let pattern = o.pattern.as_deref();
    let mut found: Vec<Elem> = Vec::new();
    let next = set.scan(cursor, o.count, |m| {
        let keep = pattern.is_none_or(|p| m.with_bytes(|b| glob_match(p, b, false)));
        if keep {
            found.push(m.to_elem());
        }
    });
    out.array(2);
    out.bulk(next.to_string().as_bytes());
    out.array(found.len());
    for e in &found {
        bulk_member(out, e.as_member());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_positions_are_distinct() {
        for (len, count) in [(10, 9), (100, 3), (5, 1)] {
            let mut p = distinct_positions(len, count);
            p.sort_unstable();
            p.dedup();
            assert_eq!(p.len(), count);
            assert!(p.iter().all(|&i| i < len));
        }
    }
}
