//! `SORT` and `SORT_RO`: sort a list, set or sorted set numerically or lexicographically, optionally by
//! external keys (`BY weight_*`, `BY h_*->field`), fetching external values (`GET #`, `GET data_*`),
//! with `LIMIT`, `ASC/DESC`, `ALPHA` and `STORE`. Key decision: a line-by-line port of Redis 7.0's
//! `sortCommandGeneric` — the same option parsing order (errors before the type check), the same
//! `LIMIT` clamping, `BY nosort` keeping the native order of lists and sorted sets, `strtod` scores
//! (`ERR One or more scores can't be converted into double`) and the same tie-breaking, so replies are
//! identical element for element.

use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::db::list::{End, NodeLimit};
use crate::db::{Db, List, Value};
use std::cmp::Ordering;

/// The sort commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    Command { name: "sort", arity: -2, flags: "write denyoom movablekeys", first_key: 1, last_key: 1, step: 1, acl: "write set sortedset list slow dangerous", group: "generic", since: "1.0.0", summary: "Sort the elements in a list, set or sorted set", complexity: COMPLEXITY, handler: sort, ..Command::DEFAULT },
    Command { name: "sort_ro", arity: -2, flags: "readonly movablekeys", first_key: 1, last_key: 1, step: 1, acl: "read set sortedset list slow dangerous", group: "generic", since: "7.0.0", summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", complexity: COMPLEXITY, handler: sort_ro, ..Command::DEFAULT },
];

const COMPLEXITY: &str = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

/// `ERR One or more scores can't be converted into double`.
const NOT_DOUBLE: CmdError =
    CmdError::fixed("ERR One or more scores can't be converted into double");

fn sort(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    sort_generic(cx, args, false)
}

fn sort_ro(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    sort_generic(cx, args, true)
}

/// The parsed options of one SORT call.
struct Options<'a> {
    desc: bool,
    alpha: bool,
    limit_start: i64,
    limit_count: i64,
    /// `BY` pattern (the last one given).
    by: Option<&'a [u8]>,
    /// Set once any `BY` pattern has no `*`: keep the native order.
    dontsort: bool,
    /// `GET` patterns in order.
    gets: Vec<&'a [u8]>,
    store: Option<&'a [u8]>,
}

/// Parses the options after the key like Redis: left to right, later words override earlier ones,
/// `STORE` unknown to `SORT_RO`.
fn parse_options(args: &[Vec<u8>], readonly: bool) -> Result<Options<'_>, CmdError> {
    let mut o = Options {
        desc: false,
        alpha: false,
        limit_start: 0,
        limit_count: -1,
        by: None,
        dontsort: false,
        gets: Vec::new(),
        store: None,
    };
    let mut j = 2;
    while j < args.len() {
        let a = &args[j];
        let left = args.len() - j - 1;
        if args::is(a, "ASC") {
            o.desc = false;
        } else if args::is(a, "DESC") {
            o.desc = true;
        } else if args::is(a, "ALPHA") {
            o.alpha = true;
        } else if args::is(a, "LIMIT") && left >= 2 {
            o.limit_start = args::int(&args[j + 1])?;
            o.limit_count = args::int(&args[j + 2])?;
            j += 2;
        } else if !readonly && args::is(a, "STORE") && left >= 1 {
            o.store = Some(&args[j + 1]);
            j += 1;
        } else if args::is(a, "BY") && left >= 1 {
            let pattern = &args[j + 1];
            if !pattern.contains(&b'*') {
                o.dontsort = true;
            }
            o.by = Some(pattern);
            j += 1;
        } else if args::is(a, "GET") && left >= 1 {
            o.gets.push(&args[j + 1]);
            j += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        j += 1;
    }
    Ok(o)
}

/// The kind of value being sorted (a missing key sorts as an empty list).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Set,
    ZSet,
}

/// Checks the type of the key to sort and returns its kind and length; a small sorted set is converted
/// to a skiplist first, as Redis does.
fn source(db: &mut Db, key: &[u8]) -> Result<(Kind, usize), CmdError> {
    let kind = match db.get(key) {
        None => return Ok((Kind::List, 0)),
        Some(Value::List(l)) => return Ok((Kind::List, l.len())),
        Some(Value::Set(s)) => return Ok((Kind::Set, s.len())),
        Some(Value::ZSet(_)) => Kind::ZSet,
        Some(_) => return Err(errors::WRONGTYPE),
    };
    let z = db.get_mut(key).ok_or(errors::WRONGTYPE)?.as_zset_mut()?;
    z.convert_to_skiplist();
    Ok((kind, z.len()))
}

/// Redis's LIMIT clamping: the inclusive output range `(start, end)` over `len` elements (empty when
/// `end < start`).
fn clamp_limit(o: &Options, len: usize) -> (i64, i64) {
    let len = len as i64;
    let mut start = o.limit_start.clamp(0, len);
    let count = o.limit_count.clamp(-1, len);
    let mut end = if count < 0 {
        len - 1
    } else {
        start + count - 1
    };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    (start, end.min(len - 1))
}

/// The elements `[start, end]` of a list or sorted set in native order (reversed for DESC), read
/// directly because nothing will be sorted.
fn native_range(db: &Db, key: &[u8], kind: Kind, desc: bool, start: i64, end: i64) -> Vec<Vec<u8>> {
    let Some(v) = db.peek(key) else {
        return Vec::new();
    };
    let (skip, take) = (start as usize, (end - start + 1) as usize);
    match (kind, v) {
        (Kind::List, Value::List(l)) => {
            let from = if desc { End::Tail } else { End::Head };
            l.iter_from(from)
                .skip(skip)
                .take(take)
                .map(|(_, e)| e.to_vec())
                .collect()
        }
        (Kind::ZSet, Value::ZSet(z)) => {
            let rank = if desc { z.len() - 1 - skip } else { skip };
            z.iter_from(rank, desc)
                .take(take)
                .map(|(m, _)| m.to_vec())
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Every element of the value under `key`.
fn all_elements(db: &Db, key: &[u8]) -> Vec<Vec<u8>> {
    match db.peek(key) {
        Some(Value::List(l)) => l.iter_from(End::Head).map(|(_, e)| e.to_vec()).collect(),
        Some(Value::Set(s)) => s.iter().map(|m| m.to_vec()).collect(),
        Some(Value::ZSet(z)) => z.iter().map(|(m, _)| m.to_vec()).collect(),
        _ => Vec::new(),
    }
}

/// Redis's `lookupKeyByPattern`: `#` is the element itself; otherwise the first `*` is replaced by the
/// element to name a key, whose string value is returned, or with `->field` after the `*`, that hash
/// field's value. `None` when the pattern has no `*` or the key/field is missing or of another type.
fn lookup_by_pattern(db: &mut Db, pattern: &[u8], elem: &[u8]) -> Option<Vec<u8>> {
    if pattern == b"#" {
        return Some(elem.to_vec());
    }
    let star = pattern.iter().position(|&c| c == b'*')?;
    let rest = &pattern[star + 1..];
    let arrow = rest
        .windows(2)
        .position(|w| w == b"->")
        .filter(|&f| f + 2 < rest.len());
    let (postfix, field) = match arrow {
        Some(f) => (&rest[..f], Some(&rest[f + 2..])),
        None => (rest, None),
    };
    let mut key = Vec::with_capacity(pattern.len() + elem.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(elem);
    key.extend_from_slice(postfix);
    match (db.get(&key)?, field) {
        (Value::Hash(h), Some(f)) => h.get(f).map(|v| v.to_vec()),
        (Value::Str(s), None) => Some(s.to_vec()),
        _ => None,
    }
}

/// Parses a score like C's `strtod` as SORT checks it: leading white space allowed, the rest must be
/// consumed entirely, decimal or hexadecimal, `inf`; `None` for NaN, junk, overflow or underflow. The
/// empty string reads as 0 (strtod converts nothing and stops at the terminator).
pub fn strtod(text: &[u8]) -> Option<f64> {
    let text = match text.iter().position(|&c| c == 0) {
        Some(i) => &text[..i],
        None => text,
    };
    if text.is_empty() {
        return Some(0.0);
    }
    let body = text.trim_ascii_start();
    let s = std::str::from_utf8(body).ok()?;
    let (neg, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let v = if unsigned.len() > 2 && unsigned[..2].eq_ignore_ascii_case("0x") {
        hex_float(&unsigned[2..])?
    } else {
        if unsigned.starts_with(['+', '-']) {
            return None;
        }
        decimal(unsigned)?
    };
    Some(if neg { -v } else { v })
}

/// An unsigned decimal number, `inf` or `infinity`, with strtod's range errors.
fn decimal(s: &str) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    if v.is_nan() {
        return None;
    }
    let literal_inf = s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("infinity");
    if v.is_infinite() && !literal_inf {
        return None;
    }
    let mantissa = s.split(['e', 'E']).next().unwrap_or("");
    let nonzero = mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c));
    if nonzero && (v == 0.0 || v.is_subnormal()) {
        return None;
    }
    Some(v)
}

/// The digits of a hexadecimal float after `0x`: `hh[.hh][p[+-]dd]`.
fn hex_float(s: &str) -> Option<f64> {
    let (mantissa, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0.0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    if let Some(e) = exp {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let e: i32 = e.parse().unwrap_or(if e.starts_with('-') {
            -100_000
        } else {
            100_000
        });
        v *= 2f64.powi(e);
    }
    v.is_finite().then_some(v)
}

/// One element to sort with its sort key.
struct Item {
    elem: Vec<u8>,
    score: f64,
    /// The BY value for ALPHA sorting by pattern (`None` when the key is missing).
    cmp: Option<Vec<u8>>,
}

/// Computes every item's sort key; errors when a numeric key is not a double.
fn sort_keys(db: &mut Db, o: &Options, elems: Vec<Vec<u8>>) -> Result<Vec<Item>, CmdError> {
    let mut items = Vec::with_capacity(elems.len());
    let mut bad = false;
    for elem in elems {
        let mut item = Item {
            elem,
            score: 0.0,
            cmp: None,
        };
        let by = match o.by {
            Some(p) => lookup_by_pattern(db, p, &item.elem),
            None => Some(item.elem.clone()),
        };
        if let Some(by) = by {
            if o.alpha {
                if o.by.is_some() {
                    item.cmp = Some(by);
                }
            } else {
                match strtod(&by) {
                    Some(s) => item.score = s,
                    None => bad = true,
                }
            }
        }
        items.push(item);
    }
    if bad {
        return Err(NOT_DOUBLE);
    }
    Ok(items)
}

/// `strcoll` in the C/C.UTF-8 locale: byte order up to the first NUL.
fn collate(a: &[u8], b: &[u8]) -> Ordering {
    let cut = |s: &[u8]| -> usize { s.iter().position(|&c| c == 0).unwrap_or(s.len()) };
    a[..cut(a)].cmp(&b[..cut(b)])
}

/// Redis's `sortCompare`.
fn compare(o: &Options, a: &Item, b: &Item) -> Ordering {
    let store = o.store.is_some();
    let cmp = if !o.alpha {
        a.score
            .partial_cmp(&b.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.elem.cmp(&b.elem))
    } else if o.by.is_some() {
        match (&a.cmp, &b.cmp) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) if store => x.cmp(y),
            (Some(x), Some(y)) => collate(x, y),
        }
    } else if store {
        a.elem.cmp(&b.elem)
    } else {
        collate(&a.elem, &b.elem)
    };
    if o.desc {
        cmp.reverse()
    } else {
        cmp
    }
}

fn sort_generic(cx: &mut Ctx, args: &[Vec<u8>], readonly: bool) -> CmdResult {
    let mut o = parse_options(args, readonly)?;
    let key = &args[1];
    let from_script = cx.client.script;
    let limit = super::list::node_limit(cx);
    let (db, out) = cx.db_out();
    let (kind, len) = source(db, key)?;
    // A set's native order is not reproducible, so stored or scripted results are sorted as strings.
    if o.dontsort && kind == Kind::Set && (o.store.is_some() || from_script) {
        o.dontsort = false;
        o.alpha = true;
        o.by = None;
    }
    let (mut start, mut end) = clamp_limit(&o, len);
    let items: Vec<Item> = if o.dontsort && kind != Kind::Set {
        let elems = if end >= start {
            native_range(db, key, kind, o.desc, start, end)
        } else {
            Vec::new()
        };
        if end >= start {
            end -= start;
            start = 0;
        }
        elems.into_iter().map(plain_item).collect()
    } else if o.dontsort {
        all_elements(db, key).into_iter().map(plain_item).collect()
    } else {
        let mut items = sort_keys(db, &o, all_elements(db, key))?;
        items.sort_by(|a, b| compare(&o, a, b));
        items
    };
    let chosen: &[Item] = if end >= start {
        &items[start as usize..=end as usize]
    } else {
        &[]
    };
    let values = output_values(db, &o, chosen);
    match o.store {
        None => {
            out.array(values.len());
            for v in &values {
                out.bulk_opt(v.as_deref());
            }
        }
        Some(dst) => {
            let items = values.iter().map(|v| v.as_deref().unwrap_or(b""));
            store(db, dst, items, limit);
            out.int(values.len() as i64);
        }
    }
    Ok(())
}

fn plain_item(elem: Vec<u8>) -> Item {
    Item {
        elem,
        score: 0.0,
        cmp: None,
    }
}

/// The reply values: each chosen element, or for each element the value of every GET pattern.
fn output_values(db: &mut Db, o: &Options, chosen: &[Item]) -> Vec<Option<Vec<u8>>> {
    if o.gets.is_empty() {
        return chosen.iter().map(|i| Some(i.elem.clone())).collect();
    }
    let mut values = Vec::with_capacity(chosen.len() * o.gets.len());
    for item in chosen {
        for g in &o.gets {
            values.push(lookup_by_pattern(db, g, &item.elem));
        }
    }
    values
}

/// `STORE`: replaces `dst` with a list of `values` (deletes it when there are none).
fn store<'a>(db: &mut Db, dst: &[u8], values: impl Iterator<Item = &'a [u8]>, limit: NodeLimit) {
    let mut list = List::default();
    for v in values {
        list.push(End::Tail, v, limit);
    }
    if list.is_empty() {
        if db.contains(dst) {
            db.remove(dst);
            db.signal_modified(dst);
        }
        return;
    }
    let n = list.len() as u64;
    db.set(dst, Value::List(Box::new(list)));
    db.signal_modified(dst);
    db.dirty += n - 1;
}

#[cfg(test)]
mod tests {
    use super::strtod;

    #[test]
    fn strtod_like_c() {
        assert_eq!(strtod(b""), Some(0.0));
        assert_eq!(strtod(b"  1.5"), Some(1.5));
        assert_eq!(strtod(b"0x10"), Some(16.0));
        assert_eq!(strtod(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(strtod(b"1e400"), None);
        assert_eq!(strtod(b"1e-400"), None);
        assert_eq!(strtod(b"nan"), None);
        assert_eq!(strtod(b"1 "), None);
        assert_eq!(strtod(b"   "), None);
        assert_eq!(strtod(b"+-1"), None);
    }
}
