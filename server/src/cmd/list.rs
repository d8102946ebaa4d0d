//! List commands: pushes and pops at either end, ranges, indexes, LREM/LTRIM/LINSERT/LPOS, and the moves
//! between lists (LMOVE, RPOPLPUSH, LMPOP). Key decision: every element that enters a list goes through
//! `list_for_push` (where the blocking commands will mark keys ready for waiting clients), and pops go
//! through [`pop_reply`]/[`after_pop`] and [`move_element`], which BLPOP/BLMPOP/BLMOVE can reuse to
//! serve a woken client exactly as the non-blocking command would.
use super::errors::{self, CmdError};
use super::table::Command;
use super::{args, CmdResult, Ctx};
use crate::config::D;
use crate::db::hooks::class;
use crate::db::list::{End, List, NodeLimit};
use crate::db::{Db, Value};
use crate::resp::Reply;

macro_rules! cmd {
    ($($entry:tt)*) => {
        super::table::command!("list"; $($entry)*)
    };
}

const K1: (i32, i32, i32) = (1, 1, 1);
const K12: (i32, i32, i32) = (1, 2, 1);
const PUSH_COMPLEXITY: &str = "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";

/// The list commands.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd!("lpush", -3, "write denyoom fast", K1, "write list fast", "1.0.0", "Prepend one or multiple elements to a list", PUSH_COMPLEXITY, lpush),
    cmd!("rpush", -3, "write denyoom fast", K1, "write list fast", "1.0.0", "Append one or multiple elements to a list", PUSH_COMPLEXITY, rpush),
    cmd!("lpushx", -3, "write denyoom fast", K1, "write list fast", "2.2.0", "Prepend an element to a list, only if the list exists", PUSH_COMPLEXITY, lpushx),
    cmd!("rpushx", -3, "write denyoom fast", K1, "write list fast", "2.2.0", "Append an element to a list, only if the list exists", PUSH_COMPLEXITY, rpushx),
    cmd!("lpop", -2, "write fast", K1, "write list fast", "1.0.0", "Remove and get the first elements in a list", "O(N) where N is the number of elements returned", lpop),
    cmd!("rpop", -2, "write fast", K1, "write list fast", "1.0.0", "Remove and get the last elements in a list", "O(N) where N is the number of elements returned", rpop),
    cmd!("llen", 2, "readonly fast", K1, "read list fast", "1.0.0", "Get the length of a list", "O(1)", llen),
    cmd!("lrange", 4, "readonly", K1, "read list slow", "1.0.0", "Get a range of elements from a list", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.", lrange),
    cmd!("lindex", 3, "readonly", K1, "read list slow", "1.0.0", "Get an element from a list by its index", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).", lindex),
    cmd!("lset", 4, "write denyoom", K1, "write list slow", "1.0.0", "Set the value of an element in a list by its index", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).", lset),
    cmd!("lrem", 4, "write", K1, "write list slow", "1.0.0", "Remove elements from a list", "O(N+M) where N is the length of the list and M is the number of elements removed.", lrem),
    cmd!("ltrim", 4, "write", K1, "write list slow", "1.0.0", "Trim a list to the specified range", "O(N) where N is the number of elements to be removed by the operation.", ltrim),
    cmd!("linsert", 5, "write denyoom", K1, "write list slow", "2.2.0", "Insert an element before or after another element in a list", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).", linsert),
    cmd!("lpos", -3, "readonly", K1, "read list slow", "6.0.6", "Return the index of matching elements on a list", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.", lpos),
    cmd!("lmove", 5, "write denyoom", K12, "write list slow", "6.2.0", "Pop an element from a list, push it to another list and return it", "O(1)", lmove),
    cmd!("rpoplpush", 3, "write denyoom", K12, "write list slow", "1.2.0", "Remove the last element in a list, prepend it to another list and return it", "O(1)", rpoplpush),
    cmd!("lmpop", -4, "write movablekeys", (0, 0, 0), "write list slow", "7.0.0", "Pop elements from a list", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", lmpop),
];

/// `ERR value is out of range, must be positive` parse of a non-negative count.
fn positive(arg: &[u8]) -> Result<u64, CmdError> {
    match args::int(arg) {
        Ok(n) if n >= 0 => Ok(n as u64),
        _ => Err(errors::NOT_POSITIVE),
    }
}

/// A count in `1..=i64::MAX`, any failure reported as `ERR <msg>`.
fn at_least_one(arg: &[u8], msg: &'static str) -> Result<u64, CmdError> {
    match args::int(arg) {
        Ok(n) if n >= 1 => Ok(n as u64),
        _ => Err(CmdError::fixed(msg)),
    }
}

/// `LEFT` / `RIGHT`, else `ERR syntax error`.
fn end_arg(arg: &[u8]) -> Result<End, CmdError> {
    if args::is(arg, "LEFT") {
        Ok(End::Head)
    } else if args::is(arg, "RIGHT") {
        Ok(End::Tail)
    } else {
        Err(errors::SYNTAX)
    }
}

/// Resolves a Redis index (negative counts from the tail) against a list of `len` elements.
fn index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// The list under `key` for reading: `None` when missing, WRONGTYPE for other types.
fn read_list<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a List>, CmdError> {
    match db.get(key) {
        Some(v) => Ok(Some(v.as_list()?)),
        None => Ok(None),
    }
}

/// The list under `key` for writing: `None` when missing, WRONGTYPE for other types.
fn write_list<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a mut List>, CmdError> {
    match db.get_mut(key) {
        Some(v) => Ok(Some(v.as_list_mut()?)),
        None => Ok(None),
    }
}

/// How big quicklist nodes may grow (`list-max-listpack-size`).
pub fn node_limit(cx: &Ctx) -> NodeLimit {
    NodeLimit::from_fill(cx.server.config.int(D::list_max_listpack_size))
}

/// Fails with WRONGTYPE when `key` holds something other than a list.
fn check_list(db: &mut Db, key: &[u8]) -> CmdResult {
    write_list(db, key).map(|_| ())
}

/// The list under `key` for a push, created when missing; WRONGTYPE for other types. Every push (LPUSH,
/// LMOVE's destination...) goes through here: the point where a later blocking implementation marks the
/// key ready for clients waiting in BLPOP/BLMOVE/BLMPOP.
fn list_for_push<'a>(db: &'a mut Db, key: &[u8]) -> Result<&'a mut List, CmdError> {
    Ok(db
        .get_or_insert_with(key, || Value::List(Box::default()))
        .as_list_mut()?)
}

/// Pushes `items` at `end` of the list under `key`, creating it unless `only_existing`; returns the
/// new length (0 when the key is missing and `only_existing`).
pub fn push_into(
    db: &mut Db,
    key: &[u8],
    items: &[Vec<u8>],
    end: End,
    only_existing: bool,
    limit: NodeLimit,
) -> Result<usize, CmdError> {
    let list = if only_existing {
        match write_list(db, key)? {
            Some(l) => l,
            None => return Ok(0),
        }
    } else {
        list_for_push(db, key)?
    };
    list.push_all(end, items, limit);
    let len = list.len();
    db.signal_modified(key);
    db.notify(class::LIST, push_event(end), key);
    Ok(len)
}

fn push_command(cx: &mut Ctx, args: &[Vec<u8>], end: End, only_existing: bool) -> CmdResult {
    let limit = node_limit(cx);
    let len = push_into(cx.db(), &args[1], &args[2..], end, only_existing, limit)?;
    cx.out.int(len as i64);
    Ok(())
}

fn lpush(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    push_command(cx, args, End::Head, false)
}

fn rpush(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    push_command(cx, args, End::Tail, false)
}

fn lpushx(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    push_command(cx, args, End::Head, true)
}

fn rpushx(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    push_command(cx, args, End::Tail, true)
}

/// Pops up to `count` elements from `list` into the reply: one bulk string when `count` is `None`,
/// else an array. Returns true when the list is left empty (the caller then calls [`after_pop`]).
pub fn pop_reply(list: &mut List, out: &mut Reply, end: End, count: Option<u64>) -> bool {
    match count {
        None if list.is_empty() => out.null(),
        None => list.pop_many(end, 1, |e| out.bulk(e)),
        Some(n) => {
            let n = list.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            out.array(n);
            list.pop_many(end, n, |e| out.bulk(e));
        }
    }
    list.is_empty()
}

/// Records a pop at `end` of `key`: raises `lpop`/`rpop`, deletes the key when the list emptied,
/// signals the write.
pub fn after_pop(db: &mut Db, key: &[u8], end: End, emptied: bool) {
    db.notify(class::LIST, pop_event(end), key);
    if emptied {
        db.remove(key);
        db.notify(class::GENERIC, "del", key);
    }
    db.signal_modified(key);
}

/// The keyspace event of a push at `end`.
fn push_event(end: End) -> &'static str {
    if end == End::Head {
        "lpush"
    } else {
        "rpush"
    }
}

/// The keyspace event of a pop at `end`.
fn pop_event(end: End) -> &'static str {
    if end == End::Head {
        "lpop"
    } else {
        "rpop"
    }
}

fn pop_command(cx: &mut Ctx, args: &[Vec<u8>], end: End) -> CmdResult {
    if args.len() > 3 {
        return Err(errors::wrong_arity(if end == End::Head {
            "lpop"
        } else {
            "rpop"
        }));
    }
    let count = args.get(2).map(|a| positive(a)).transpose()?;
    let key = &args[1];
    let (db, out) = cx.db_out();
    let Some(list) = write_list(db, key)? else {
        match count {
            Some(_) => out.null_array(),
            None => out.null(),
        }
        return Ok(());
    };
    if count == Some(0) {
        out.array(0);
        return Ok(());
    }
    let emptied = pop_reply(list, out, end, count);
    after_pop(db, key, end, emptied);
    Ok(())
}

fn lpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    pop_command(cx, args, End::Head)
}

fn rpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    pop_command(cx, args, End::Tail)
}

fn llen(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let len = read_list(cx.db(), &args[1])?.map_or(0, List::len);
    cx.out.int(len as i64);
    Ok(())
}

fn lrange(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let start = args::int(&args[2])?;
    let stop = args::int(&args[3])?;
    let (db, out) = cx.db_out();
    let Some(list) = read_list(db, &args[1])? else {
        out.array(0);
        return Ok(());
    };
    match args::range(start, stop, list.len()) {
        Some((s, e)) => {
            out.array(e - s + 1);
            list.range(s, e).for_each(|item| out.bulk(item));
        }
        None => out.array(0),
    }
    Ok(())
}

fn lindex(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let Some(list) = read_list(db, &args[1])? else {
        out.null();
        return Ok(());
    };
    let i = args::int(&args[2])?;
    out.bulk_opt(index(i, list.len()).and_then(|i| list.get(i)));
    Ok(())
}

fn lset(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let key = &args[1];
    let limit = node_limit(cx);
    let db = cx.db();
    let list = write_list(db, key)?.ok_or(errors::NO_SUCH_KEY)?;
    let i = args::int(&args[2])?;
    let i = index(i, list.len()).ok_or(errors::OUT_OF_RANGE)?;
    list.set(i, &args[3], limit);
    db.signal_modified(key);
    db.notify(class::LIST, "lset", key);
    cx.out.ok();
    Ok(())
}

fn lrem(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let count = args::int(&args[2])?;
    let key = &args[1];
    let db = cx.db();
    let Some(list) = write_list(db, key)? else {
        cx.out.int(0);
        return Ok(());
    };
    let from = if count < 0 { End::Tail } else { End::Head };
    let removed = list.remove_matching(&args[3], count.unsigned_abs(), from);
    if removed > 0 {
        db.notify(class::LIST, "lrem", key);
        db.remove_if_empty(key);
        db.signal_modified(key);
    }
    cx.out.int(removed as i64);
    Ok(())
}

fn ltrim(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let start = args::int(&args[2])?;
    let stop = args::int(&args[3])?;
    let key = &args[1];
    let db = cx.db();
    if let Some(list) = write_list(db, key)? {
        match args::range(start, stop, list.len()) {
            Some((s, e)) => list.keep_range(s, e),
            None => list.clear(),
        }
        db.notify(class::LIST, "ltrim", key);
        db.remove_if_empty(key);
        db.signal_modified(key);
    }
    cx.out.ok();
    Ok(())
}

fn linsert(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let after = if args::is(&args[2], "AFTER") {
        true
    } else if args::is(&args[2], "BEFORE") {
        false
    } else {
        return Err(errors::SYNTAX);
    };
    let key = &args[1];
    let limit = node_limit(cx);
    let db = cx.db();
    let Some(list) = write_list(db, key)? else {
        cx.out.int(0);
        return Ok(());
    };
    if !list.insert_by_pivot(&args[3], &args[4], after, limit) {
        cx.out.int(-1);
        return Ok(());
    }
    let len = list.len();
    db.signal_modified(key);
    db.notify(class::LIST, "linsert", key);
    cx.out.int(len as i64);
    Ok(())
}

/// Parsed `LPOS` options.
struct LposOptions {
    /// Which match to start from; negative searches from the tail. Kept as Redis computes it, so
    /// `RANK -9223372036854775808` behaves as Redis's wrapped value does.
    rank: i64,
    /// `None` without COUNT (single reply); `Some(0)` means every match.
    count: Option<i64>,
    /// Elements to compare at most; 0 means no limit.
    maxlen: i64,
}

const RANK_ZERO: CmdError = CmdError::fixed("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");

fn lpos_options(opts: &[Vec<u8>]) -> Result<LposOptions, CmdError> {
    let mut o = LposOptions {
        rank: 1,
        count: None,
        maxlen: 0,
    };
    let non_negative = |arg: &[u8], msg: &'static str| match args::int(arg) {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(CmdError::fixed(msg)),
    };
    let mut i = 0;
    while i < opts.len() {
        let Some(value) = opts.get(i + 1) else {
            return Err(errors::SYNTAX);
        };
        let opt = &opts[i];
        if args::is(opt, "RANK") {
            o.rank = args::int(value)?;
            if o.rank == 0 {
                return Err(RANK_ZERO);
            }
        } else if args::is(opt, "COUNT") {
            o.count = Some(non_negative(value, "ERR COUNT can't be negative")?);
        } else if args::is(opt, "MAXLEN") {
            o.maxlen = non_negative(value, "ERR MAXLEN can't be negative")?;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 2;
    }
    Ok(o)
}

fn lpos(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let o = lpos_options(&args[3..])?;
    let (db, out) = cx.db_out();
    let Some(list) = read_list(db, &args[1])? else {
        match o.count {
            Some(_) => out.array(0),
            None => out.null(),
        }
        return Ok(());
    };
    let (from, rank) = if o.rank < 0 {
        (End::Tail, o.rank.wrapping_neg())
    } else {
        (End::Head, o.rank)
    };
    let limit = if o.maxlen == 0 {
        usize::MAX
    } else {
        usize::try_from(o.maxlen).unwrap_or(usize::MAX)
    };
    let mut found = Vec::new();
    let mut matches = 0i64;
    for (i, e) in list.iter_from(from).take(limit) {
        if e != args[2].as_slice() {
            continue;
        }
        matches += 1;
        if matches < rank {
            continue;
        }
        found.push(i);
        match o.count {
            None => break,
            Some(c) if c != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= c => break,
            Some(_) => {}
        }
    }
    match o.count {
        Some(_) => {
            out.array(found.len());
            found.iter().for_each(|&i| out.int(i as i64));
        }
        None => match found.first() {
            Some(&i) => out.int(i as i64),
            None => out.null(),
        },
    }
    Ok(())
}

/// Pops from `src` at `from`, pushes onto `dst` at `to` (the same list rotates) and replies with the
/// moved element, or null when `src` is missing. Both keys are type-checked before anything moves.
pub fn move_element(
    db: &mut Db,
    out: &mut Reply,
    (src, dst): (&[u8], &[u8]),
    (from, to): (End, End),
    limit: NodeLimit,
) -> CmdResult {
    if write_list(db, src)?.is_none() {
        out.null();
        return Ok(());
    }
    check_list(db, dst)?;
    let Some(item) = write_list(db, src)?.and_then(|l| l.pop(from)) else {
        out.null();
        return Ok(());
    };
    out.bulk(&item);
    list_for_push(db, dst)?.push(to, &item, limit);
    db.signal_modified(dst);
    db.notify(class::LIST, push_event(to), dst);
    db.notify(class::LIST, pop_event(from), src);
    db.remove_if_empty(src);
    db.signal_modified(src);
    Ok(())
}

fn lmove(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let from = end_arg(&args[3])?;
    let to = end_arg(&args[4])?;
    let limit = node_limit(cx);
    let (db, out) = cx.db_out();
    move_element(db, out, (&args[1], &args[2]), (from, to), limit)
}

fn rpoplpush(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let limit = node_limit(cx);
    let (db, out) = cx.db_out();
    move_element(db, out, (&args[1], &args[2]), (End::Tail, End::Head), limit)
}

/// Parsed `LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]` arguments (after the command name).
struct MpopArgs<'a> {
    keys: &'a [Vec<u8>],
    end: End,
    count: u64,
}

fn mpop_args(args: &[Vec<u8>]) -> Result<MpopArgs<'_>, CmdError> {
    let numkeys = at_least_one(&args[0], "ERR numkeys should be greater than 0")?;
    let where_idx = match usize::try_from(numkeys) {
        Ok(n) if n < args.len() - 1 => n + 1,
        _ => return Err(errors::SYNTAX),
    };
    let end = end_arg(&args[where_idx])?;
    let mut count = None;
    let mut i = where_idx + 1;
    while i < args.len() {
        match args.get(i + 1) {
            Some(v) if count.is_none() && args::is(&args[i], "COUNT") => {
                count = Some(at_least_one(v, "ERR count should be greater than 0")?);
            }
            _ => return Err(errors::SYNTAX),
        }
        i += 2;
    }
    Ok(MpopArgs {
        keys: &args[1..where_idx],
        end,
        count: count.unwrap_or(1),
    })
}

fn lmpop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let a = mpop_args(&args[1..])?;
    let (db, out) = cx.db_out();
    for key in a.keys {
        if let Some(list) = write_list(db, key)? {
            let n = (list.len() as u64).min(a.count).to_string();
            out.array(2);
            out.bulk(key);
            let emptied = pop_reply(list, out, a.end, Some(a.count));
            after_pop(db, key, a.end, emptied);
            let pop: &[u8] = if a.end == End::Head { b"LPOP" } else { b"RPOP" };
            cx.server
                .propagation
                .propagate_as(&[pop, key, n.as_bytes()]);
            return Ok(());
        }
    }
    out.null_array();
    Ok(())
}
