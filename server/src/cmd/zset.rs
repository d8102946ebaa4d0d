//! The sorted set commands: ZADD and friends, the range queries (by rank, score and lex; ZRANGE with
//! BYSCORE/BYLEX/REV/LIMIT and ZRANGESTORE), removal by range, pops (ZPOPMIN/ZPOPMAX/ZMPOP),
//! ZRANDMEMBER, the set algebra (ZUNION/ZINTER/ZDIFF, their STORE forms, ZINTERCARD) and ZSCAN. Key
//! decisions: every argument is parsed before the keyspace is touched, in the order Redis 7.0 parses
//! them (so the same input yields the same error); ranges become a (start rank, count, direction)
//! selection over [`ZSet`] and one emitter writes it to the client or into a destination key; scores
//! are parsed with a `strtod` emulation because Redis accepts exactly what C's `strtod` accepts.

use super::errors::{self, CmdError};
use super::keys::scan_options;
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;
use crate::db::glob::glob_match;
use crate::db::hooks::class;
use crate::db::zset::{LexBound, LexRange, Limits, Range, ScoreRange};
use crate::db::{random_index, Db, Set, Value, ZSet};
use crate::resp::double::format_double;
use crate::resp::Reply;
use std::collections::HashMap;

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("sorted-set"; $($entry)*)
    };
}

const K1: (i32, i32, i32) = (1, 1, 1);
const MOVABLE: (i32, i32, i32) = (0, 0, 0);

/// The sorted set commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("zadd", -4, "write denyoom fast", K1, "write sortedset fast", "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists", "O(log(N)) for each item added, where N is the number of elements in the sorted set.", zadd),
    cmd!("zincrby", 4, "write denyoom fast", K1, "write sortedset fast", "1.2.0", "Increment the score of a member in a sorted set", "O(log(N)) where N is the number of elements in the sorted set.", zincrby),
    cmd!("zrem", -3, "write fast", K1, "write sortedset fast", "1.2.0", "Remove one or more members from a sorted set", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.", zrem),
    cmd!("zremrangebyscore", 4, "write", K1, "write sortedset slow", "1.2.0", "Remove all members in a sorted set within the given scores", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", zremrangebyscore),
    cmd!("zremrangebyrank", 4, "write", K1, "write sortedset slow", "2.0.0", "Remove all members in a sorted set within the given indexes", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", zremrangebyrank),
    cmd!("zremrangebylex", 4, "write", K1, "write sortedset slow", "2.8.9", "Remove all members in a sorted set between the given lexicographical range", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", zremrangebylex),
    cmd!("zunionstore", -4, "write denyoom movablekeys", K1, "write sortedset slow", "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key", "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", zunionstore),
    cmd!("zinterstore", -4, "write denyoom movablekeys", K1, "write sortedset slow", "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", zinterstore),
    cmd!("zdiffstore", -4, "write denyoom movablekeys", K1, "write sortedset slow", "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", zdiffstore),
    cmd!("zunion", -3, "readonly movablekeys", MOVABLE, "read sortedset slow", "6.2.0", "Add multiple sorted sets", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", zunion),
    cmd!("zinter", -3, "readonly movablekeys", MOVABLE, "read sortedset slow", "6.2.0", "Intersect multiple sorted sets", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", zinter),
    cmd!("zintercard", -3, "readonly movablekeys", MOVABLE, "read sortedset slow", "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.", zintercard),
    cmd!("zdiff", -3, "readonly movablekeys", MOVABLE, "read sortedset slow", "6.2.0", "Subtract multiple sorted sets", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", zdiff),
    cmd!("zrange", -4, "readonly", K1, "read sortedset slow", "1.2.0", "Return a range of members in a sorted set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", zrange),
    cmd!("zrangestore", -5, "write denyoom", (1, 2, 1), "write sortedset slow", "6.2.0", "Store a range of members from sorted set into another key", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.", zrangestore),
    cmd!("zrangebyscore", -4, "readonly", K1, "read sortedset slow", "1.0.5", "Return a range of members in a sorted set, by score", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", zrangebyscore),
    cmd!("zrevrangebyscore", -4, "readonly", K1, "read sortedset slow", "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", zrevrangebyscore),
    cmd!("zrangebylex", -4, "readonly", K1, "read sortedset slow", "2.8.9", "Return a range of members in a sorted set, by lexicographical range", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", zrangebylex),
    cmd!("zrevrangebylex", -4, "readonly", K1, "read sortedset slow", "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", zrevrangebylex),
    cmd!("zcount", 4, "readonly fast", K1, "read sortedset fast", "2.0.0", "Count the members in a sorted set with scores within the given values", "O(log(N)) with N being the number of elements in the sorted set.", zcount),
    cmd!("zlexcount", 4, "readonly fast", K1, "read sortedset fast", "2.8.9", "Count the number of members in a sorted set between a given lexicographical range", "O(log(N)) with N being the number of elements in the sorted set.", zlexcount),
    cmd!("zrevrange", -4, "readonly", K1, "read sortedset slow", "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", zrevrange),
    cmd!("zcard", 2, "readonly fast", K1, "read sortedset fast", "1.2.0", "Get the number of members in a sorted set", "O(1)", zcard),
    cmd!("zscore", 3, "readonly fast", K1, "read sortedset fast", "1.2.0", "Get the score associated with the given member in a sorted set", "O(1)", zscore),
    cmd!("zmscore", -3, "readonly fast", K1, "read sortedset fast", "6.2.0", "Get the score associated with the given members in a sorted set", "O(N) where N is the number of members being requested.", zmscore),
    cmd!("zrank", 3, "readonly fast", K1, "read sortedset fast", "2.0.0", "Determine the index of a member in a sorted set", "O(log(N))", zrank),
    cmd!("zrevrank", 3, "readonly fast", K1, "read sortedset fast", "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low", "O(log(N))", zrevrank),
    cmd!("zscan", -3, "readonly", K1, "read sortedset slow", "2.8.0", "Incrementally iterate sorted sets elements and associated scores", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", zscan),
    cmd!("zpopmin", -2, "write fast", K1, "write sortedset fast", "5.0.0", "Remove and return members with the lowest scores in a sorted set", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", zpopmin),
    cmd!("zpopmax", -2, "write fast", K1, "write sortedset fast", "5.0.0", "Remove and return members with the highest scores in a sorted set", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", zpopmax),
    cmd!("zmpop", -4, "write movablekeys", MOVABLE, "write sortedset slow", "7.0.0", "Remove and return members with scores in a sorted set", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", zmpop),
    cmd!("zrandmember", -2, "readonly", K1, "read sortedset slow", "6.2.0", "Get one or multiple random elements from a sorted set", "O(N) where N is the number of elements returned", zrandmember),
];

const MIN_MAX_NOT_FLOAT: CmdError = CmdError::fixed("ERR min or max is not a float");
const NOT_LEX_RANGE: CmdError = CmdError::fixed("ERR min or max not valid string range item");
const NAN_RESULT: CmdError = CmdError::fixed("ERR resulting score is not a number (NaN)");
const XX_NX: CmdError =
    CmdError::fixed("ERR XX and NX options at the same time are not compatible");
const GT_LT_NX: CmdError =
    CmdError::fixed("ERR GT, LT, and/or NX options at the same time are not compatible");
const INCR_PAIR: CmdError =
    CmdError::fixed("ERR INCR option supports a single increment-element pair");
const LIMIT_NEEDS_BY: CmdError = CmdError::fixed(
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
);
const WITHSCORES_BYLEX: CmdError =
    CmdError::fixed("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
const WEIGHT_NOT_FLOAT: CmdError = CmdError::fixed("ERR weight value is not a float");
const OUT_OF_RANGE: CmdError = CmdError::fixed("ERR value is out of range");

// ---------------------------------------------------------------------------------------------------
// Number and range parsing.

/// C `strtod` over the longest valid prefix of `s`: (value, bytes consumed, range error). Accepts what
/// glibc accepts: leading spaces, a sign, decimal or hex digits with exponent, `inf`, `infinity`, `nan`.
fn strtod(s: &[u8]) -> (f64, usize, bool) {
    let mut i = s
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let sign = if neg { -1.0 } else { 1.0 };
    let rest = &s[i..];
    let word =
        |w: &str| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    if word("infinity") {
        return (sign * f64::INFINITY, i + 8, false);
    }
    if word("inf") {
        return (sign * f64::INFINITY, i + 3, false);
    }
    if word("nan") {
        let mut end = i + 3;
        if s.get(end) == Some(&b'(') {
            let inner = s[end + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            if s.get(end + 1 + inner) == Some(&b')') {
                end += inner + 2;
            }
        }
        return (f64::NAN, end, false);
    }
    if rest.len() > 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        if let Some((v, used)) = hex_float(&rest[2..]) {
            return (sign * v, i + 2 + used, v.is_infinite());
        }
    }
    decimal(s, i, neg)
}

fn decimal(s: &[u8], start: usize, neg: bool) -> (f64, usize, bool) {
    let digits = |from: usize| s[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut j = start;
    let int_digits = digits(j);
    j += int_digits;
    let mut frac_digits = 0;
    if s.get(j) == Some(&b'.') {
        frac_digits = digits(j + 1);
        if int_digits + frac_digits > 0 {
            j += 1 + frac_digits;
        }
    }
    if int_digits + frac_digits == 0 {
        return (0.0, 0, false);
    }
    let mantissa_end = j;
    if matches!(s.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let e = digits(k);
        if e > 0 {
            j = k + e;
        }
    }
    let text = std::str::from_utf8(&s[start..j]).unwrap_or("0");
    let v: f64 = text.parse().unwrap_or(0.0);
    let nonzero = s[start..mantissa_end]
        .iter()
        .any(|c| (b'1'..=b'9').contains(c));
    let erange = v.is_infinite() || (v == 0.0 && nonzero);
    (if neg { -v } else { v }, j, erange)
}

/// Hex digits with optional fraction and binary exponent (after `0x`); `None` without a digit.
fn hex_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut mant = 0f64;
    let mut exp = 0i64;
    let mut j = 0;
    let mut any = false;
    let mut seen_dot = false;
    while j < s.len() {
        let c = s[j];
        if c == b'.' && !seen_dot {
            seen_dot = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            mant = mant * 16.0 + d as f64;
            if seen_dot {
                exp -= 4;
            }
            any = true;
        } else {
            break;
        }
        j += 1;
    }
    if !any {
        return None;
    }
    if matches!(s.get(j), Some(b'p' | b'P')) {
        let mut k = j + 1;
        let eneg = s.get(k) == Some(&b'-');
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let n = s[k..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 {
            let e: i64 = std::str::from_utf8(&s[k..k + n])
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or(100_000);
            exp += if eneg { -e } else { e };
            j = k + n;
        }
    }
    Some((mant * 2f64.powi(exp.clamp(-2000, 2000) as i32), j))
}

/// A score argument as Redis's `getDoubleFromObject` reads it: the whole argument, no leading space,
/// no overflow/underflow to zero, no NaN.
fn parse_score(arg: &[u8]) -> Option<f64> {
    if arg.is_empty() || arg[0].is_ascii_whitespace() || arg[0] == 0x0b {
        return None;
    }
    let (v, used, erange) = strtod(arg);
    let bad_range = erange && (v.is_infinite() || v == 0.0);
    (used == arg.len() && !bad_range && !v.is_nan()).then_some(v)
}

/// The text up to the first NUL: what C string functions see of an argument.
fn c_str(arg: &[u8]) -> &[u8] {
    arg.iter()
        .position(|&c| c == 0)
        .map_or(arg, |end| &arg[..end])
}

/// One bound of a score range (`1.5`, `(1.5`, `-inf`), parsed like `zslParseRange`.
fn score_bound(arg: &[u8]) -> Option<(f64, bool)> {
    let s = c_str(arg);
    let (ex, text) = match s.first() {
        Some(b'(') => (true, &s[1..]),
        _ => (false, s),
    };
    let (v, used, _) = strtod(text);
    (used == text.len() && !v.is_nan()).then_some((v, ex))
}

fn score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    let (Some((min, minex)), Some((max, maxex))) = (score_bound(min), score_bound(max)) else {
        return Err(MIN_MAX_NOT_FLOAT);
    };
    Ok(ScoreRange {
        min,
        max,
        minex,
        maxex,
    })
}

/// One bound of a lex range: `-`, `+`, `[member`, `(member`.
fn lex_bound(arg: &[u8]) -> Option<LexBound> {
    let lone = arg.get(1).is_none_or(|&c| c == 0);
    match arg.first()? {
        b'+' if lone => Some(LexBound::Max),
        b'-' if lone => Some(LexBound::Min),
        b'(' => Some(LexBound::Excl(arg[1..].to_vec())),
        b'[' => Some(LexBound::Incl(arg[1..].to_vec())),
        _ => None,
    }
}

fn lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, CmdError> {
    match (lex_bound(min), lex_bound(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(NOT_LEX_RANGE),
    }
}

/// A count that must be a non-negative integer (`getPositiveLongFromObjectOrReply`).
fn positive(arg: &[u8], err: CmdError) -> Result<i64, CmdError> {
    match args::int(arg) {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(err),
    }
}

// ---------------------------------------------------------------------------------------------------
// Shared helpers.

fn limits(cx: &Ctx) -> Limits {
    let c = &cx.server.config;
    Limits {
        entries: c.int(D::zset_max_listpack_entries).max(0) as usize,
        value: c.int(D::zset_max_listpack_value).max(0) as usize,
    }
}

/// The sorted set under `key` for reading; WRONGTYPE for other types.
fn read<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a ZSet>, CmdError> {
    match db.get(key) {
        Some(v) => Ok(Some(v.as_zset()?)),
        None => Ok(None),
    }
}

/// The sorted set under `key` for writing; WRONGTYPE for other types.
fn write<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a mut ZSet>, CmdError> {
    match db.get_mut(key) {
        Some(v) => Ok(Some(v.as_zset_mut()?)),
        None => Ok(None),
    }
}

/// Header of a reply of `n` elements, flat (member, score) pairs in RESP2 when `withscores`.
fn pairs_header(out: &mut Reply, n: usize, withscores: bool) {
    if withscores && !out.resp3 {
        out.array(n * 2);
    } else {
        out.array(n);
    }
}

/// One element of such a reply: a bulk member, or in RESP3 with scores a [member, score] pair.
fn pair(out: &mut Reply, member: &[u8], score: f64, withscores: bool) {
    if withscores && out.resp3 {
        out.array(2);
    }
    out.bulk(member);
    if withscores {
        out.double(score);
    }
}

/// Stores a non-empty result under `dst` (replacing any value and TTL) or deletes `dst`; replies the
/// result's size.
fn store(db: &mut Db, out: &mut Reply, dst: &[u8], z: ZSet, event: &'static str) {
    let n = z.len();
    if n > 0 {
        db.set(dst, Value::ZSet(z));
        db.signal_modified(dst);
        db.notify(class::ZSET, event, dst);
    } else if db.remove(dst).is_some() {
        db.signal_modified(dst);
        db.notify(class::GENERIC, "del", dst);
    }
    out.int(n as i64);
}

// ---------------------------------------------------------------------------------------------------
// ZADD, ZINCRBY, ZREM and point reads.

#[derive(Default, Clone, Copy)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// What `zsetAdd` did with one element.
enum Added {
    New,
    Updated,
    Same,
    Skipped,
}

/// Redis's `zsetAdd`: adds or updates one member under the flags; returns the outcome and new score.
fn add_one(
    z: &mut ZSet,
    member: &[u8],
    score: f64,
    f: AddFlags,
    limits: Limits,
) -> Result<(Added, f64), CmdError> {
    match z.score(member) {
        Some(cur) => {
            if f.nx {
                return Ok((Added::Skipped, cur));
            }
            let new = if f.incr { score + cur } else { score };
            if new.is_nan() {
                return Err(NAN_RESULT);
            }
            if (f.lt && new >= cur) || (f.gt && new <= cur) {
                return Ok((Added::Skipped, cur));
            }
            if new != cur {
                z.update(member, new);
                return Ok((Added::Updated, new));
            }
            Ok((Added::Same, new))
        }
        None if f.xx => Ok((Added::Skipped, score)),
        None => {
            z.insert(member, score, limits);
            Ok((Added::New, score))
        }
    }
}

fn zadd(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mut f = AddFlags::default();
    let mut i = 2;
    while let Some(flag) = args.get(i).and_then(|a| add_flag(&mut f, a)) {
        *flag = true;
        i += 1;
    }
    let elements = args.len() - i;
    if elements == 0 || !elements.is_multiple_of(2) {
        return Err(errors::SYNTAX);
    }
    if f.nx && f.xx {
        return Err(XX_NX);
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(GT_LT_NX);
    }
    if f.incr && elements > 2 {
        return Err(INCR_PAIR);
    }
    let mut pairs = Vec::with_capacity(elements / 2);
    for p in args[i..].chunks(2) {
        pairs.push((
            parse_score(&p[0]).ok_or(errors::NOT_FLOAT)?,
            p[1].as_slice(),
        ));
    }
    add_generic(cx, &args[1], &pairs, f)
}

/// The [`AddFlags`] field a ZADD option names (case-insensitively), or `None` at the first score.
fn add_flag<'a>(f: &'a mut AddFlags, arg: &[u8]) -> Option<&'a mut bool> {
    Some(match arg.len() {
        2 if args::is(arg, "NX") => &mut f.nx,
        2 if args::is(arg, "XX") => &mut f.xx,
        2 if args::is(arg, "GT") => &mut f.gt,
        2 if args::is(arg, "LT") => &mut f.lt,
        2 if args::is(arg, "CH") => &mut f.ch,
        4 if args::is(arg, "INCR") => &mut f.incr,
        _ => return None,
    })
}

fn zincrby(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let incr = parse_score(&args[2]).ok_or(errors::NOT_FLOAT)?;
    let f = AddFlags {
        incr: true,
        ..AddFlags::default()
    };
    add_generic(cx, &args[1], &[(incr, args[3].as_slice())], f)
}

/// The body of ZADD/ZINCRBY once arguments are parsed.
fn add_generic(cx: &mut Ctx, key: &[u8], pairs: &[(f64, &[u8])], f: AddFlags) -> CmdResult {
    let limits = limits(cx);
    let (db, out) = cx.db_out();
    if write(db, key)?.is_none() {
        if f.xx {
            if f.incr {
                out.null();
            } else {
                out.int(0);
            }
            return Ok(());
        }
        let big = limits.entries == 0 || pairs[0].1.len() > limits.value;
        db.set(key, Value::ZSet(ZSet::new(big)));
    }
    let Some(z) = write(db, key)? else {
        return Ok(());
    };
    let (mut added, mut updated, mut processed) = (0, 0, 0);
    let mut last = 0.0;
    let mut failed = None;
    for &(score, member) in pairs {
        match add_one(z, member, score, f, limits) {
            Ok((outcome, new)) => {
                last = new;
                match outcome {
                    Added::New => added += 1,
                    Added::Updated => updated += 1,
                    Added::Same | Added::Skipped => {}
                }
                if !matches!(outcome, Added::Skipped) {
                    processed += 1;
                }
            }
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    let emptied = z.is_empty();
    if added + updated > 0 {
        db.signal_modified(key);
        db.notify(class::ZSET, if f.incr { "zincr" } else { "zadd" }, key);
    }
    if emptied {
        db.remove_if_empty(key);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    if f.incr {
        if processed > 0 {
            out.double(last);
        } else {
            out.null();
        }
    } else {
        out.int(if f.ch { added + updated } else { added });
    }
    Ok(())
}

fn zrem(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let key = &args[1];
    let db = cx.db();
    let Some(z) = write(db, key)? else {
        cx.out.int(0);
        return Ok(());
    };
    let mut removed = 0;
    for m in &args[2..] {
        if z.remove(m) {
            removed += 1;
            if z.is_empty() {
                break;
            }
        }
    }
    if removed > 0 {
        db.notify(class::ZSET, "zrem", key);
        db.remove_if_empty(key);
        db.signal_modified(key);
    }
    cx.out.int(removed);
    Ok(())
}

fn zcard(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let n = read(cx.db(), &args[1])?.map_or(0, |z| z.len());
    cx.out.int(n as i64);
    Ok(())
}

fn zscore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    match read(db, &args[1])?.and_then(|z| z.score(&args[2])) {
        Some(s) => out.double(s),
        None => out.null(),
    }
    Ok(())
}

fn zmscore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let z = read(db, &args[1])?;
    out.array(args.len() - 2);
    for m in &args[2..] {
        match z.and_then(|z| z.score(m)) {
            Some(s) => out.double(s),
            None => out.null(),
        }
    }
    Ok(())
}

fn zrank(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    rank_generic(cx, args, false)
}

fn zrevrank(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    rank_generic(cx, args, true)
}

fn rank_generic(cx: &mut Ctx, args: &[Vec<u8>], rev: bool) -> CmdResult {
    let (db, out) = cx.db_out();
    let Some(z) = read(db, &args[1])? else {
        out.null();
        return Ok(());
    };
    match z.rank(&args[2]) {
        Some(r) if rev => out.int((z.len() - 1 - r) as i64),
        Some(r) => out.int(r as i64),
        None => out.null(),
    }
    Ok(())
}

fn zcount(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let r = score_range(&args[2], &args[3])?;
    let n = read(cx.db(), &args[1])?.map_or(0, |z| z.count_in(&r));
    cx.out.int(n as i64);
    Ok(())
}

fn zlexcount(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let r = lex_range(&args[2], &args[3])?;
    let n = read(cx.db(), &args[1])?.map_or(0, |z| z.count_in(&r));
    cx.out.int(n as i64);
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// ZRANGE and its variants.

#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Rank,
    Score,
    Lex,
}

/// A parsed range query.
struct RangeQuery {
    by: By,
    rev: bool,
    withscores: bool,
    offset: i64,
    limit: i64,
    start: i64,
    end: i64,
    score: Option<ScoreRange>,
    lex: Option<LexRange>,
}

/// Parses `<key> <min> <max> [options]` starting at `args[key_at]` like `zrangeGenericCommand`;
/// `by`/`rev` are fixed by the command when `Some`, else set by BYSCORE/BYLEX/REV.
fn parse_range(
    args: &[Vec<u8>],
    key_at: usize,
    store: bool,
    by: Option<By>,
    rev: Option<bool>,
) -> Result<RangeQuery, CmdError> {
    let (mut by_opt, mut rev_opt) = (by, rev);
    let mut q = RangeQuery {
        by: By::Rank,
        rev: false,
        withscores: false,
        offset: 0,
        limit: -1,
        start: 0,
        end: 0,
        score: None,
        lex: None,
    };
    let mut j = key_at + 3;
    while j < args.len() {
        let a = &args[j];
        let left = args.len() - j - 1;
        if !store && args::is(a, "WITHSCORES") {
            q.withscores = true;
        } else if args::is(a, "LIMIT") && left >= 2 {
            q.offset = args::int(&args[j + 1])?;
            q.limit = args::int(&args[j + 2])?;
            j += 2;
        } else if rev_opt.is_none() && args::is(a, "REV") {
            rev_opt = Some(true);
        } else if by_opt.is_none() && args::is(a, "BYLEX") {
            by_opt = Some(By::Lex);
        } else if by_opt.is_none() && args::is(a, "BYSCORE") {
            by_opt = Some(By::Score);
        } else {
            return Err(errors::SYNTAX);
        }
        j += 1;
    }
    q.by = by_opt.unwrap_or(By::Rank);
    q.rev = rev_opt.unwrap_or(false);
    if q.limit != -1 && q.by == By::Rank {
        return Err(LIMIT_NEEDS_BY);
    }
    if q.withscores && q.by == By::Lex {
        return Err(WITHSCORES_BYLEX);
    }
    let (mut lo, mut hi) = (&args[key_at + 1], &args[key_at + 2]);
    if q.rev && q.by != By::Rank {
        std::mem::swap(&mut lo, &mut hi);
    }
    match q.by {
        By::Rank => {
            q.start = args::int(lo)?;
            q.end = args::int(hi)?;
        }
        By::Score => q.score = Some(score_range(lo, hi)?),
        By::Lex => q.lex = Some(lex_range(lo, hi)?),
    }
    Ok(q)
}

/// The elements a query selects: (first rank, how many, walking downwards).
fn select(z: &ZSet, q: &RangeQuery) -> (usize, usize, bool) {
    if q.by == By::Rank {
        return match args::range(q.start, q.end, z.len()) {
            Some((s, e)) if q.rev => (z.len() - 1 - s, e - s + 1, true),
            Some((s, e)) => (s, e - s + 1, false),
            None => (0, 0, false),
        };
    }
    let bounds = match (&q.score, &q.lex) {
        (Some(r), _) => bounds_in(z, r),
        (_, Some(r)) => bounds_in(z, r),
        _ => None,
    };
    let Some((first, last)) = bounds else {
        return (0, 0, false);
    };
    let avail = last - first + 1;
    if q.offset < 0 || q.offset as u64 >= avail as u64 {
        return (0, 0, false);
    }
    let off = q.offset as usize;
    let mut n = avail - off;
    if q.limit >= 0 {
        n = n.min(q.limit as usize);
    }
    if q.rev {
        (last - off, n, true)
    } else {
        (first + off, n, false)
    }
}

fn bounds_in<R: Range>(z: &ZSet, r: &R) -> Option<(usize, usize)> {
    let first = z.first_in(r)?;
    let last = z.last_in(r)?;
    (last >= first).then_some((first, last))
}

/// Runs a range query for a client (`dst` None) or into `dst`.
fn range_generic(cx: &mut Ctx, key: &[u8], dst: Option<&[u8]>, q: RangeQuery) -> CmdResult {
    let limits = limits(cx);
    let (db, out) = cx.db_out();
    let Some(z) = read(db, key)? else {
        match dst {
            Some(d) => store(db, out, d, ZSet::default(), "zrangestore"),
            None => out.array(0),
        }
        return Ok(());
    };
    let (start, n, rev) = select(z, &q);
    let items = z.iter_from(start, rev).take(n);
    match dst {
        None => {
            pairs_header(out, n, q.withscores);
            for (m, s) in items {
                pair(out, m, s, q.withscores);
            }
        }
        Some(d) => {
            let mut result = ZSet::new(n > limits.entries);
            for (m, s) in items {
                result.insert(m, s, limits);
            }
            store(db, out, d, result, "zrangestore");
        }
    }
    Ok(())
}

fn zrange(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let q = parse_range(args, 1, false, None, None)?;
    range_generic(cx, &args[1], None, q)
}

fn zrangestore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let q = parse_range(args, 2, true, None, None)?;
    range_generic(cx, &args[2], Some(&args[1]), q)
}

fn zrevrange(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let q = parse_range(args, 1, false, Some(By::Rank), Some(true))?;
    range_generic(cx, &args[1], None, q)
}

fn zrangebyscore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let q = parse_range(args, 1, false, Some(By::Score), Some(false))?;
    range_generic(cx, &args[1], None, q)
}

fn zrevrangebyscore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let q = parse_range(args, 1, false, Some(By::Score), Some(true))?;
    range_generic(cx, &args[1], None, q)
}

fn zrangebylex(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let q = parse_range(args, 1, false, Some(By::Lex), Some(false))?;
    range_generic(cx, &args[1], None, q)
}

fn zrevrangebylex(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let q = parse_range(args, 1, false, Some(By::Lex), Some(true))?;
    range_generic(cx, &args[1], None, q)
}

// ---------------------------------------------------------------------------------------------------
// Removal by range.

fn zremrangebyrank(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let start = args::int(&args[2])?;
    let end = args::int(&args[3])?;
    remove_range(cx, &args[1], "zremrangebyrank", |z| {
        args::range(start, end, z.len())
    })
}

fn zremrangebyscore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let r = score_range(&args[2], &args[3])?;
    remove_range(cx, &args[1], "zremrangebyscore", |z| bounds_in(z, &r))
}

fn zremrangebylex(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let r = lex_range(&args[2], &args[3])?;
    remove_range(cx, &args[1], "zremrangebylex", |z| bounds_in(z, &r))
}

/// Removes the ranks `pick` selects (inclusive) and replies how many went.
fn remove_range(
    cx: &mut Ctx,
    key: &[u8],
    event: &'static str,
    pick: impl FnOnce(&ZSet) -> Option<(usize, usize)>,
) -> CmdResult {
    let (db, out) = cx.db_out();
    let Some(z) = write(db, key)? else {
        out.int(0);
        return Ok(());
    };
    let removed = match pick(z) {
        Some((s, e)) => z.remove_ranks(s, e),
        None => 0,
    };
    if removed > 0 {
        db.notify(class::ZSET, event, key);
        db.remove_if_empty(key);
        db.signal_modified(key);
    }
    out.int(removed as i64);
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Pops.

/// Removes up to `count` lowest (or highest) members of the zset under `key` (also used by BZPOPMIN).
pub fn pop_from(db: &mut Db, key: &[u8], max: bool, count: usize) -> Vec<(Vec<u8>, f64)> {
    let mut popped = Vec::new();
    if let Some(Ok(z)) = db.get_mut(key).map(Value::as_zset_mut) {
        let n = count.min(z.len());
        let start = if max { z.len() - n } else { 0 };
        popped = z
            .iter_from(if max { z.len() - 1 } else { 0 }, max)
            .take(n)
            .map(|(m, s)| (m.to_vec(), s))
            .collect();
        z.remove_ranks(start, start + n - 1);
    }
    if !popped.is_empty() {
        db.notify(class::ZSET, if max { "zpopmax" } else { "zpopmin" }, key);
        db.remove_if_empty(key);
        db.signal_modified(key);
    }
    popped
}

/// The first of `keys` holding a sorted set (WRONGTYPE if the first existing key holds another type).
fn first_zset<'k>(db: &mut Db, keys: &'k [Vec<u8>]) -> Result<Option<&'k [u8]>, CmdError> {
    for k in keys {
        if write(db, k)?.is_some() {
            return Ok(Some(k));
        }
    }
    Ok(None)
}

fn zpopmin(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    pop_generic(cx, args, false)
}

fn zpopmax(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    pop_generic(cx, args, true)
}

fn pop_generic(cx: &mut Ctx, args: &[Vec<u8>], max: bool) -> CmdResult {
    if args.len() > 3 {
        return Err(errors::SYNTAX);
    }
    let count = match args.get(2) {
        Some(a) => Some(positive(a, errors::NOT_POSITIVE)?),
        None => None,
    };
    let (db, out) = cx.db_out();
    let Some(key) = first_zset(db, &args[1..2])? else {
        out.array(0);
        return Ok(());
    };
    if count == Some(0) {
        out.array(0);
        return Ok(());
    }
    let popped = pop_from(db, key, max, count.unwrap_or(1) as usize);
    let nested = count.is_some() && out.resp3;
    if nested {
        out.array(popped.len());
    } else {
        out.array(popped.len() * 2);
    }
    for (m, s) in &popped {
        if nested {
            out.array(2);
        }
        out.bulk(m);
        out.double(*s);
    }
    Ok(())
}

fn zmpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    const NUMKEYS: CmdError = CmdError::fixed("ERR numkeys should be greater than 0");
    const COUNT: CmdError = CmdError::fixed("ERR count should be greater than 0");
    let numkeys = match args::int(&args[1]) {
        Ok(n) if n >= 1 => n as usize,
        _ => return Err(NUMKEYS),
    };
    let where_at = numkeys.checked_add(2).filter(|&w| w < args.len());
    let Some(where_at) = where_at else {
        return Err(errors::SYNTAX);
    };
    let max = if args::is(&args[where_at], "MIN") {
        false
    } else if args::is(&args[where_at], "MAX") {
        true
    } else {
        return Err(errors::SYNTAX);
    };
    let mut count = None;
    let mut j = where_at + 1;
    while j < args.len() {
        if count.is_none() && args::is(&args[j], "COUNT") && j + 1 < args.len() {
            match args::int(&args[j + 1]) {
                Ok(n) if n >= 1 => count = Some(n as usize),
                _ => return Err(COUNT),
            }
            j += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    let (db, out) = cx.db_out();
    let Some(key) = first_zset(db, &args[2..where_at])? else {
        out.null_array();
        return Ok(());
    };
    let popped = pop_from(db, key, max, count.unwrap_or(1));
    out.array(2);
    out.bulk(key);
    out.array(popped.len());
    for (m, s) in &popped {
        out.array(2);
        out.bulk(m);
        out.double(*s);
    }
    let pop: &[u8] = if max { b"ZPOPMAX" } else { b"ZPOPMIN" };
    let n = popped.len().to_string();
    cx.server
        .propagation
        .propagate_as(&[pop, key, n.as_bytes()]);
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// ZRANDMEMBER.

fn zrandmember(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let Some(count_arg) = args.get(2) else {
        let (db, out) = cx.db_out();
        let member = read(db, &args[1])?.and_then(|z| z.at(random_index(z.len())));
        out.bulk_opt(member.map(|(m, _)| m));
        return Ok(());
    };
    let l = args::int(count_arg)?;
    if l == i64::MIN {
        return Err(CmdError::fixed("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
    }
    let withscores = match args.get(3) {
        None => false,
        Some(a) if args.len() == 4 && args::is(a, "WITHSCORES") => true,
        Some(_) => return Err(errors::SYNTAX),
    };
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Err(OUT_OF_RANGE);
    }
    let (db, out) = cx.db_out();
    let Some(z) = read(db, &args[1])? else {
        out.array(0);
        return Ok(());
    };
    let count = l.unsigned_abs() as usize;
    if count == 0 {
        out.array(0);
        return Ok(());
    }
    let size = z.len();
    if l < 0 || count == 1 {
        pairs_header(out, count, withscores);
        for _ in 0..count {
            if let Some((m, s)) = z.at(random_index(size)) {
                pair(out, m, s, withscores);
            }
        }
        return Ok(());
    }
    let ranks: Vec<usize> = if count >= size {
        (0..size).rev().collect()
    } else {
        sample_ranks(size, count)
    };
    pairs_header(out, ranks.len(), withscores);
    for r in ranks {
        if let Some((m, s)) = z.at(r) {
            pair(out, m, s, withscores);
        }
    }
    Ok(())
}

/// `count` distinct ranks below `size` (count < size), in random order.
fn sample_ranks(size: usize, count: usize) -> Vec<usize> {
    if count * 3 > size {
        let mut all: Vec<usize> = (0..size).collect();
        for i in 0..count {
            let j = i + random_index(size - i);
            all.swap(i, j);
        }
        all.truncate(count);
        all
    } else {
        let mut seen = std::collections::HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let r = random_index(size);
            if seen.insert(r) {
                out.push(r);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------------
// ZUNION / ZINTER / ZDIFF and friends.

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    /// Redis's `zunionInterAggregate` (a NaN sum becomes 0).
    fn apply(self, target: &mut f64, v: f64) {
        match self {
            Aggregate::Sum => {
                *target += v;
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min => {
                if v < *target {
                    *target = v;
                }
            }
            Aggregate::Max => {
                if v > *target {
                    *target = v;
                }
            }
        }
    }
}

/// An input of the set algebra: a sorted set, a plain set (every score 1), or a missing key.
#[derive(Clone, Copy)]
enum Src<'a> {
    Missing,
    Z(&'a ZSet),
    S(&'a Set),
}

impl<'a> Src<'a> {
    fn len(&self) -> usize {
        match self {
            Src::Missing => 0,
            Src::Z(z) => z.len(),
            Src::S(s) => s.len(),
        }
    }

    fn for_each(&self, mut f: impl FnMut(&[u8], f64)) {
        match *self {
            Src::Missing => {}
            Src::Z(z) => z.iter().for_each(|(m, s)| f(m, s)),
            Src::S(s) => s.iter().for_each(|m| m.with_bytes(|b| f(b, 1.0))),
        }
    }

    fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            Src::Missing => None,
            Src::Z(z) => z.score(member),
            Src::S(s) => s.contains(member).then_some(1.0),
        }
    }
}

/// Options of a set-algebra command.
struct SetOpArgs {
    keys: Vec<Vec<u8>>,
    weights: Vec<f64>,
    aggregate: Aggregate,
    withscores: bool,
    limit: usize,
}

fn zunion(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setop_generic(cx, args, None, SetOp::Union, "zunion")
}

fn zinter(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setop_generic(cx, args, None, SetOp::Inter, "zinter")
}

fn zdiff(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setop_generic(cx, args, None, SetOp::Diff, "zdiff")
}

fn zunionstore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setop_generic(cx, args, Some(&args[1]), SetOp::Union, "zunionstore")
}

fn zinterstore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setop_generic(cx, args, Some(&args[1]), SetOp::Inter, "zinterstore")
}

fn zdiffstore(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    setop_generic(cx, args, Some(&args[1]), SetOp::Diff, "zdiffstore")
}

fn zintercard(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let o = parse_setop(cx.db(), args, 1, None, SetOp::Inter, true, "zintercard")?;
    let db = cx.db();
    let srcs = sources(db, &o.keys);
    let mut n = 0usize;
    inter_each(&srcs, &o, |_, _| {
        n += 1;
        o.limit == 0 || n < o.limit
    });
    cx.out.int(n as i64);
    Ok(())
}

/// Parses `numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] [LIMIT n]` like
/// `zunionInterDiffGenericCommand`, checking key types before the options as Redis does.
fn parse_setop(
    db: &mut Db,
    args: &[Vec<u8>],
    numkeys_at: usize,
    dst: Option<&[u8]>,
    op: SetOp,
    card_only: bool,
    name: &str,
) -> Result<SetOpArgs, CmdError> {
    let setnum = args::int(&args[numkeys_at])?;
    if setnum < 1 {
        return Err(CmdError::owned(format!(
            "ERR at least 1 input key is needed for '{name}' command"
        )));
    }
    if setnum as u64 > (args.len() - numkeys_at - 1) as u64 {
        return Err(errors::SYNTAX);
    }
    let setnum = setnum as usize;
    let keys = args[numkeys_at + 1..numkeys_at + 1 + setnum].to_vec();
    for k in &keys {
        if let Some(v) = db.get(k) {
            if !matches!(v, Value::ZSet(_) | Value::Set(_)) {
                return Err(errors::WRONGTYPE);
            }
        }
    }
    let mut o = SetOpArgs {
        keys,
        weights: vec![1.0; setnum],
        aggregate: Aggregate::Sum,
        withscores: false,
        limit: 0,
    };
    let mut j = numkeys_at + 1 + setnum;
    while j < args.len() {
        let remaining = args.len() - j;
        let a = &args[j];
        let algebra = op != SetOp::Diff && !card_only;
        if algebra && remaining > setnum && args::is(a, "WEIGHTS") {
            for (i, w) in args[j + 1..j + 1 + setnum].iter().enumerate() {
                o.weights[i] = parse_score(w).ok_or(WEIGHT_NOT_FLOAT)?;
            }
            j += 1 + setnum;
        } else if algebra && remaining >= 2 && args::is(a, "AGGREGATE") {
            let v = &args[j + 1];
            o.aggregate = if args::is(v, "SUM") {
                Aggregate::Sum
            } else if args::is(v, "MIN") {
                Aggregate::Min
            } else if args::is(v, "MAX") {
                Aggregate::Max
            } else {
                return Err(errors::SYNTAX);
            };
            j += 2;
        } else if dst.is_none() && !card_only && args::is(a, "WITHSCORES") {
            o.withscores = true;
            j += 1;
        } else if card_only && remaining >= 2 && args::is(a, "LIMIT") {
            let err = CmdError::fixed("ERR LIMIT can't be negative");
            o.limit = positive(&args[j + 1], err)? as usize;
            j += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    Ok(o)
}

/// The inputs, borrowed together (their keys were looked up, and expired, by [`parse_setop`]).
fn sources<'a>(db: &'a Db, keys: &[Vec<u8>]) -> Vec<Src<'a>> {
    keys.iter()
        .map(|k| match db.peek(k) {
            Some(Value::ZSet(z)) => Src::Z(z),
            Some(Value::Set(s)) => Src::S(s),
            _ => Src::Missing,
        })
        .collect()
}

/// Input indexes ordered by size (Redis sorts the inputs by cardinality before combining).
fn by_size(srcs: &[Src]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..srcs.len()).collect();
    order.sort_by_key(|&i| srcs[i].len());
    order
}

/// Calls `f(member, score)` for each member of the intersection until `f` returns false.
fn inter_each(srcs: &[Src], o: &SetOpArgs, mut f: impl FnMut(&[u8], f64) -> bool) {
    let order = by_size(srcs);
    let first = order[0];
    if srcs[first].len() == 0 {
        return;
    }
    let mut go = true;
    srcs[first].for_each(|m, s| {
        if !go {
            return;
        }
        let mut score = o.weights[first] * s;
        if score.is_nan() {
            score = 0.0;
        }
        for &j in &order[1..] {
            match srcs[j].score(m) {
                Some(v) => o.aggregate.apply(&mut score, v * o.weights[j]),
                None => return,
            }
        }
        go = f(m, score);
    });
}

fn setop_generic(
    cx: &mut Ctx,
    args: &[Vec<u8>],
    dst: Option<&[u8]>,
    op: SetOp,
    name: &str,
) -> CmdResult {
    let numkeys_at = if dst.is_some() { 2 } else { 1 };
    let o = parse_setop(cx.db(), args, numkeys_at, dst, op, false, name)?;
    let limits = limits(cx);
    let (db, out) = cx.db_out();
    let srcs = sources(db, &o.keys);
    let mut result: Vec<(Vec<u8>, f64)> = Vec::new();
    match op {
        SetOp::Union => {
            let mut acc: HashMap<Vec<u8>, f64, crate::db::Hasher> = HashMap::default();
            for i in by_size(&srcs) {
                srcs[i].for_each(|m, s| {
                    let mut score = o.weights[i] * s;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    match acc.get_mut(m) {
                        Some(t) => o.aggregate.apply(t, score),
                        None => {
                            acc.insert(m.to_vec(), score);
                        }
                    }
                });
            }
            result = acc.into_iter().collect();
        }
        SetOp::Inter => inter_each(&srcs, &o, |m, s| {
            result.push((m.to_vec(), s));
            true
        }),
        SetOp::Diff => srcs[0].for_each(|m, s| {
            if !srcs[1..].iter().any(|x| x.score(m).is_some()) {
                result.push((m.to_vec(), s));
            }
        }),
    }
    result.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    match dst {
        None => {
            pairs_header(out, result.len(), o.withscores);
            for (m, s) in &result {
                pair(out, m, *s, o.withscores);
            }
        }
        Some(d) => {
            let longest = result.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
            let fits = result.len() <= limits.entries && longest <= limits.value;
            let mut z = ZSet::new(!fits);
            for (m, s) in &result {
                z.insert(m, *s, limits);
            }
            let event = match op {
                SetOp::Union => "zunionstore",
                SetOp::Inter => "zinterstore",
                SetOp::Diff => "zdiffstore",
            };
            store(db, out, d, z, event);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// ZSCAN.

/// The text ZSCAN shows for a score: a listpack holds integral scores up to 2^62 as integers.
fn scan_score_text(z: &ZSet, score: f64) -> String {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    let integral = score.fract() == 0.0 && (-LIMIT..=LIMIT).contains(&score);
    if z.encoding() == "listpack" && integral {
        (score as i64).to_string()
    } else {
        format_double(score)
    }
}

fn zscan(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let cursor = super::keys::scan_cursor(&args[2])?;
    let (db, out) = cx.db_out();
    let Some(z) = read(db, &args[1])? else {
        out.array(2);
        out.bulk(b"0");
        out.array(0);
        return Ok(());
    };
    let o = scan_options(&args[2..], false)?;
    let mut found: Vec<(&[u8], f64)> = Vec::new();
    let next = z.scan(cursor, o.count, |m, s| {
        if o.pattern.as_ref().is_none_or(|p| glob_match(p, m, false)) {
            found.push((m, s));
        }
    });
    out.array(2);
    out.bulk(next.to_string().as_bytes());
    out.array(found.len() * 2);
    for (m, s) in found {
        out.bulk(m);
        out.bulk(scan_score_text(z, s).as_bytes());
    }
    Ok(())
}
