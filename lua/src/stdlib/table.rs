//! The `table` library (`ltablib.c`): `concat`, `insert`, `remove`, `sort`, `maxn`, `getn`,
//! `setn`, `foreach`, `foreachi`.
//!
//! Key design decision: every function that runs Lua code (`sort` comparators and `__lt`
//! metamethods, `foreach`/`foreachi` callbacks) returns `Action::Call` and resumes in a
//! continuation; the sort itself is a state machine ([`sort::Sorter`]) so it can stop at any
//! comparison. Sizes follow 5.1's C `int` arithmetic (`luaL_getn` is the raw length).

mod sort;

use crate::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use crate::table::Table;
use crate::text::number::format_number;
use crate::userdata::UserData;
use crate::value::Value;
use crate::vm::{ops, Ctx};

use super::args::*;
use super::register;
use sort::{CopySlots, Held, Slots, Sorter, Step, TableSlots};

/// Installs the library.
pub fn open(ctx: Ctx<'_>) {
    let t = Table::new(ctx.mc);
    register(
        ctx,
        t,
        &[
            ("concat", concat),
            ("foreach", foreach),
            ("foreachi", foreachi),
            ("getn", getn),
            ("maxn", maxn),
            ("insert", insert),
            ("remove", remove),
            ("setn", setn),
            ("sort", sort),
        ],
    );
    let _ = ctx.globals().set(ctx.mc, ctx.str("table"), Value::Table(t));
}

/// `aux_getn`: argument `i` must be a table; its raw length as a C `int`.
fn table_and_length<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, (Table<'gc>, i64)> {
    let t = check_table(stack, i)?;
    Ok((t, t.length() as i32 as i64))
}

/// `luaL_checkint`: an integer argument truncated to a C `int`.
fn check_int<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, i64> {
    Ok(check_integer(stack, i)? as i32 as i64)
}

/// `luaL_optint`.
fn opt_int<'gc>(stack: &Stack<'gc, '_>, i: usize, default: i64) -> ArgResult<'gc, i64> {
    if stack.get(i).is_nil() {
        Ok(default)
    } else {
        check_int(stack, i)
    }
}

fn getn<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (_, n) = table_and_length(stack, 0)?;
    stack.replace(&[Value::Number(n as f64)]);
    Ok(Action::Return)
}

fn setn<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    check_table(stack, 0)?;
    Err(NativeError::runtime("'setn' is obsolete"))
}

fn maxn<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let mut max = 0.0;
    let mut key = Value::Nil;
    while let Ok(Some((k, _))) = t.next(key) {
        if let Value::Number(n) = k {
            if n > max {
                max = n;
            }
        }
        key = k;
    }
    stack.replace(&[Value::Number(max)]);
    Ok(Action::Return)
}

fn insert<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (t, n) = table_and_length(stack, 0)?;
    let mut end = n + 1;
    let pos = match stack.len() {
        2 => end,
        3 => {
            let pos = check_int(stack, 1)?;
            check_writable(t)?;
            end = end.max(pos);
            for i in (pos + 1..=end).rev() {
                t.set_int(ctx.mc, i, t.get_int(i - 1));
            }
            pos
        }
        _ => {
            return Err(NativeError::runtime(
                "wrong number of arguments to 'insert'",
            ))
        }
    };
    check_writable(t)?;
    t.set_int(ctx.mc, pos, stack.get(stack.len() - 1));
    stack.clear();
    Ok(Action::Return)
}

fn remove<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (t, end) = table_and_length(stack, 0)?;
    let pos = opt_int(stack, 1, end)?;
    stack.clear();
    if !(1 <= pos && pos <= end) {
        return Ok(Action::Return);
    }
    check_writable(t)?;
    stack.push(t.get_int(pos));
    for i in pos..end {
        t.set_int(ctx.mc, i, t.get_int(i + 1));
    }
    t.set_int(ctx.mc, end, Value::Nil);
    Ok(Action::Return)
}

/// `addfield`: appends `t[i]`, which must be a string or a number.
fn add_field<'gc>(t: Table<'gc>, i: i64, out: &mut Vec<u8>) -> Result<(), NativeError<'gc>> {
    match t.get_int(i) {
        Value::String(s) => out.extend_from_slice(s.as_bytes()),
        Value::Number(n) => format_number(n, out),
        other => {
            return Err(NativeError::runtime(format!(
                "invalid value ({}) at index {i} in table for 'concat'",
                other.type_name()
            )))
        }
    }
    Ok(())
}

fn concat<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let sep = opt_string(ctx, stack, 1)?.map_or(&b""[..], |s| s.as_bytes());
    let t = check_table(stack, 0)?;
    let first = opt_int(stack, 2, 1)?;
    let last = if stack.get(3).is_nil() {
        t.length() as i32 as i64
    } else {
        check_int(stack, 3)?
    };
    let mut out = Vec::new();
    let mut i = first;
    while i < last {
        add_field(t, i, &mut out)?;
        out.extend_from_slice(sep);
        i += 1;
    }
    if i == last {
        add_field(t, i, &mut out)?;
    }
    stack.replace(&[ctx.str(out)]);
    Ok(Action::Return)
}

fn foreachi<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (t, n) = table_and_length(stack, 0)?;
    let f = check_function(stack, 1)?;
    stack.replace(&[
        Value::Table(t),
        f,
        Value::Number(0.0),
        Value::Number(n as f64),
    ]);
    foreachi_next(stack)
}

/// `foreachi`'s loop: the window holds `[t, f, i, n]`; calls `f(i + 1, t[i + 1])`.
fn foreachi_next<'gc>(stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (Value::Table(t), Value::Number(i), Value::Number(n)) =
        (stack.get(0), stack.get(2), stack.get(3))
    else {
        unreachable!("foreachi keeps its table and counters");
    };
    let i = i + 1.0;
    if i > n {
        stack.clear();
        return Ok(Action::Return);
    }
    stack.set(2, Value::Number(i));
    let f = stack.get(1);
    stack.push(Value::Number(i));
    stack.push(t.get_int(i as i64));
    Ok(Action::Call {
        function: f,
        keep: 4,
        then: Some(Continuation::new(foreachi_continue, Value::Nil)),
    })
}

fn foreachi_continue<'gc>(
    _ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    if stop_with_result(stack, 4) {
        return Ok(Action::Return);
    }
    foreachi_next(stack)
}

/// After a `foreach`/`foreachi` callback: if its first result (at `at`) is not nil, makes it the
/// only value of the window and says so; otherwise drops the results.
fn stop_with_result(stack: &mut Stack<'_, '_>, at: usize) -> bool {
    let r = stack.get(at);
    if r.is_nil() {
        stack.resize(at);
        false
    } else {
        stack.replace(&[r]);
        true
    }
}

fn foreach<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let f = check_function(stack, 1)?;
    stack.replace(&[Value::Table(t), f, Value::Nil]);
    foreach_next(stack)
}

/// `foreach`'s loop: the window holds `[t, f, key]`; calls `f(k, v)` for the next pair.
fn foreach_next<'gc>(stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let Value::Table(t) = stack.get(0) else {
        unreachable!("foreach keeps its table");
    };
    match t.next(stack.get(2)) {
        Ok(Some((k, v))) => {
            stack.set(2, k);
            let f = stack.get(1);
            stack.push(k);
            stack.push(v);
            Ok(Action::Call {
                function: f,
                keep: 3,
                then: Some(Continuation::new(foreach_continue, Value::Nil)),
            })
        }
        Ok(None) => {
            stack.clear();
            Ok(Action::Return)
        }
        Err(_) => Err(NativeError::Located {
            message: b"invalid key to 'next'".to_vec(),
            level: 0,
        }),
    }
}

fn foreach_continue<'gc>(
    _ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    if stop_with_result(stack, 3) {
        return Ok(Action::Return);
    }
    foreach_next(stack)
}

/// Window layout of an interrupted sort: the table, the comparator, then the [`Held`] values.
const SORT_TABLE: usize = 0;
const SORT_COMPARATOR: usize = 1;
const SORT_HELD: usize = 2;
const SORT_KEEP: usize = SORT_HELD + 3;

/// A comparison the sort cannot answer itself: call `function(args)` and test its first result.
struct PendingCall<'gc> {
    function: Value<'gc>,
    args: [Value<'gc>; 2],
}

fn sort<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (t, n) = table_and_length(stack, 0)?;
    let comparator = stack.get(1);
    if !comparator.is_nil() {
        check_function(stack, 1)?;
    }
    if n >= 2 {
        check_writable(t)?;
    }
    if comparator.is_nil() {
        if let Some(items) = plain_items(t, n) {
            return sort_plain(ctx, stack, t, items);
        }
    }
    let mut sorter = Sorter::new(n);
    let mut held: Held<'gc> = [Value::Nil; 3];
    let mut slots = TableSlots {
        mc: ctx.mc,
        table: t,
    };
    let step = sorter.resume(&mut slots, &mut held, false);
    match run_sort(ctx, &mut slots, comparator, &mut sorter, &mut held, step)? {
        None => {
            stack.clear();
            Ok(Action::Return)
        }
        Some(call) => {
            let state = UserData::new(ctx.mc, Box::new(sorter));
            stack.replace(&[Value::Table(t), comparator]);
            Ok(sort_call(stack, &held, call, Value::UserData(state)))
        }
    }
}

/// `t[1..=n]` when every item is a number or a string: then no comparison can call Lua code, so
/// nothing can observe the table during the sort and it can run on a copy.
fn plain_items<'gc>(t: Table<'gc>, n: i64) -> Option<Vec<Value<'gc>>> {
    (1..=n)
        .map(|i| match t.get_int(i) {
            v @ (Value::Number(_) | Value::String(_)) => Some(v),
            _ => None,
        })
        .collect()
}

/// The sort of numbers and strings without a comparator, on a copy written back at the end (also
/// when it fails part way, so the table is left as 5.1 leaves it).
fn sort_plain<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    t: Table<'gc>,
    items: Vec<Value<'gc>>,
) -> NativeResult<'gc> {
    let mut slots = CopySlots {
        mc: ctx.mc,
        table: t,
        items,
    };
    let mut sorter = Sorter::new(slots.items.len() as i64);
    let mut held: Held<'gc> = [Value::Nil; 3];
    let mut step = sorter.resume(&mut slots, &mut held, false);
    let outcome = loop {
        let answer = match step {
            Step::Done => break Ok(()),
            Step::Invalid => break Err(invalid_order()),
            Step::Compare(Value::Number(a), Value::Number(b)) => a < b,
            Step::Compare(Value::String(a), Value::String(b)) => ops::string_less(a, b),
            Step::Compare(a, b) => break Err(compare_error(a, b)),
        };
        step = sorter.resume(&mut slots, &mut held, answer);
    };
    slots.write_back();
    outcome?;
    stack.clear();
    Ok(Action::Return)
}

fn invalid_order<'gc>() -> NativeError<'gc> {
    NativeError::runtime("invalid order function for sorting")
}

/// Answers comparisons in Rust for as long as no Lua code is needed; `Some` when a call is.
fn run_sort<'gc>(
    ctx: Ctx<'gc>,
    slots: &mut impl Slots<'gc>,
    comparator: Value<'gc>,
    sorter: &mut Sorter,
    held: &mut Held<'gc>,
    mut step: Step<'gc>,
) -> Result<Option<PendingCall<'gc>>, NativeError<'gc>> {
    loop {
        let (a, b) = match step {
            Step::Done => return Ok(None),
            Step::Invalid => return Err(invalid_order()),
            Step::Compare(a, b) => (a, b),
        };
        if !comparator.is_nil() {
            return Ok(Some(PendingCall {
                function: comparator,
                args: [a, b],
            }));
        }
        let answer = match ops::less_than(ctx, a, b) {
            Ok(Ok(answer)) => answer,
            Ok(Err(call)) => {
                return Ok(Some(PendingCall {
                    function: call.function,
                    args: call.args,
                }))
            }
            Err(_) => return Err(compare_error(a, b)),
        };
        step = sorter.resume(slots, held, answer);
    }
}

/// `luaG_ordererror`, raised from inside the C function (so without a position).
fn compare_error<'gc>(a: Value<'gc>, b: Value<'gc>) -> NativeError<'gc> {
    let message = if a.type_tag() == b.type_tag() {
        format!("attempt to compare two {} values", a.type_name())
    } else {
        format!(
            "attempt to compare {} with {}",
            a.type_name(),
            b.type_name()
        )
    };
    NativeError::Located {
        message: message.into_bytes(),
        level: 0,
    }
}

/// Stores the held values in the window (after the table and comparator) and asks for the call.
fn sort_call<'gc>(
    stack: &mut Stack<'gc, '_>,
    held: &Held<'gc>,
    call: PendingCall<'gc>,
    state: Value<'gc>,
) -> Action<'gc> {
    stack.resize(SORT_HELD);
    for &v in held.iter().chain(call.args.iter()) {
        stack.push(v);
    }
    Action::Call {
        function: call.function,
        keep: SORT_KEEP,
        then: Some(Continuation::new(sort_continue, state)),
    }
}

fn sort_continue<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    state: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let answer = stack.get(SORT_KEEP).is_truthy();
    let (Value::Table(t), Value::UserData(ud)) = (stack.get(SORT_TABLE), state) else {
        unreachable!("sort keeps its table and state");
    };
    let comparator = stack.get(SORT_COMPARATOR);
    let mut held: Held<'gc> = [
        stack.get(SORT_HELD),
        stack.get(SORT_HELD + 1),
        stack.get(SORT_HELD + 2),
    ];
    let mut payload = ud.0.payload.borrow_mut();
    let Some(sorter) = payload.downcast_mut::<Sorter>() else {
        unreachable!("sort state holds a sorter");
    };
    let mut slots = TableSlots {
        mc: ctx.mc,
        table: t,
    };
    let step = sorter.resume(&mut slots, &mut held, answer);
    match run_sort(ctx, &mut slots, comparator, sorter, &mut held, step)? {
        None => {
            stack.clear();
            Ok(Action::Return)
        }
        Some(call) => Ok(sort_call(stack, &held, call, state)),
    }
}
