//! `string.find`, `match`, `gmatch` and `gsub` over the `text::pattern` matcher.
//!
//! Key design decision: `gsub` runs as a resumable loop. Its window holds
//! `[subject, pattern, replacement, state]`, where `state` is a userdata owning the `Gsub` driver,
//! the output built so far and the match being replaced. A replacement that needs Lua code (a
//! function, or a table whose `__index` is a function) is called with `Action::Call` keeping those
//! four values, and [`gsub_continue`] resumes the loop with the result. `gmatch`'s iterator keeps
//! its position in a userdata upvalue, since native upvalues are immutable values.

use std::any::Any;

use crate::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use crate::function::NativeClosure;
use crate::text::pattern::{self, Capture, Gsub, Match, PatternError};
use crate::userdata::UserData;
use crate::value::Value;
use crate::vm::ops::{self, OpError, Outcome};
use crate::vm::Ctx;

use super::super::args::*;
use super::relative_position;

/// A pattern error, raised like `luaL_error` (with the caller's position).
fn pattern_error<'gc>(e: PatternError) -> NativeError<'gc> {
    NativeError::runtime(e.message())
}

/// The Lua value of one capture: a substring, or a position (1-based).
fn capture_value<'gc>(ctx: Ctx<'gc>, subject: &[u8], capture: Capture) -> Value<'gc> {
    match capture {
        Capture::Range(a, b) => ctx.str(&subject[a..b]),
        Capture::Position(p) => Value::Number((p + 1) as f64),
    }
}

/// Pushes the values `match`, `gmatch` and a replacement function get: every capture, or the
/// whole match when the pattern has none.
fn push_captures<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    subject: &[u8],
    m: &Match,
) -> Result<(), NativeError<'gc>> {
    for capture in m.captures().map_err(pattern_error)? {
        stack.push(capture_value(ctx, subject, capture));
    }
    Ok(())
}

/// `string.find(s, pattern [, init [, plain]])`.
pub fn find<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    find_aux(ctx, stack, true)
}

/// `string.match(s, pattern [, init])`.
pub fn match_<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    find_aux(ctx, stack, false)
}

/// 5.1's `str_find_aux`: the shared body of `find` and `match`.
fn find_aux<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, find: bool) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?.as_bytes();
    let p = check_string(ctx, stack, 1)?.as_bytes();
    let init = (relative_position(opt_integer(stack, 2, 1)?, s.len()) - 1).clamp(0, s.len() as i64)
        as usize;
    if find && (stack.get(3).is_truthy() || pattern::is_plain(p)) {
        let found = pattern::find_plain(s, p, init);
        match found {
            Some(start) => stack.replace(&[
                Value::Number((start + 1) as f64),
                Value::Number((start + p.len()) as f64),
            ]),
            None => stack.replace(&[Value::Nil]),
        }
        return Ok(Action::Return);
    }
    let Some(m) = pattern::find(s, p, init).map_err(pattern_error)? else {
        stack.replace(&[Value::Nil]);
        return Ok(Action::Return);
    };
    stack.clear();
    if find {
        stack.push(Value::Number((m.start + 1) as f64));
        stack.push(Value::Number(m.end as f64));
        for i in 0..m.level() {
            let capture = m.capture(i).map_err(pattern_error)?;
            stack.push(capture_value(ctx, s, capture));
        }
    } else {
        push_captures(ctx, stack, s, &m)?;
    }
    Ok(Action::Return)
}

/// `string.gmatch(s, pattern)`: an iterator over the matches.
pub fn gmatch<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?;
    let p = check_string(ctx, stack, 1)?;
    let position = UserData::new(ctx.mc, Box::new(0usize));
    let iterator = NativeClosure::new(
        ctx.mc,
        "gmatch_aux",
        gmatch_step,
        vec![
            Value::String(s),
            Value::String(p),
            Value::UserData(position),
        ],
    );
    stack.replace(&[iterator]);
    Ok(Action::Return)
}

/// The `gmatch` iterator: the captures of the next match, or nothing at the end.
fn gmatch_step<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let upvalues = stack.upvalues();
    let (Value::String(s), Value::String(p), Value::UserData(position)) =
        (upvalues[0], upvalues[1], upvalues[2])
    else {
        unreachable!("gmatch iterators hold subject, pattern and position");
    };
    let (s, p) = (s.as_bytes(), p.as_bytes());
    let found = {
        let mut payload = position.0.payload.borrow_mut();
        let pos = payload
            .downcast_mut::<usize>()
            .expect("gmatch position payload");
        pattern::gmatch_next(s, p, pos).map_err(pattern_error)?
    };
    stack.clear();
    if let Some(m) = found {
        push_captures(ctx, stack, s, &m)?;
    }
    Ok(Action::Return)
}

/// The state of a running `gsub`.
struct GsubState {
    driver: Gsub,
    out: Vec<u8>,
    /// The match whose replacement is being computed by a call.
    pending: Option<Match>,
}

/// Window slots of a running `gsub`.
const SUBJECT: usize = 0;
const PATTERN: usize = 1;
const REPLACEMENT: usize = 2;
const STATE: usize = 3;

/// `string.gsub(s, pattern, repl [, n])`.
pub fn gsub<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?;
    let p = check_string(ctx, stack, 1)?;
    let max = opt_integer(stack, 3, s.len() as i64 + 1)? as i32;
    let repl = stack.get(2);
    let repl = match repl {
        Value::Number(_) => Value::String(check_string(ctx, stack, 2)?),
        Value::String(_) | Value::Table(_) | Value::LuaFunction(_) | Value::NativeFunction(_) => {
            repl
        }
        _ => {
            return Err(NativeError::bad_argument(
                3,
                "string/function/table expected",
            ))
        }
    };
    let state = GsubState {
        driver: Gsub::new(Some(max.max(0) as usize)),
        out: Vec::with_capacity(s.len()),
        pending: None,
    };
    let state = UserData::new(ctx.mc, Box::new(state));
    stack.replace(&[
        Value::String(s),
        Value::String(p),
        repl,
        Value::UserData(state),
    ]);
    gsub_loop(ctx, stack)
}

/// The `gsub` state userdata's payload, borrowed.
fn with_state<R>(ud: Value<'_>, f: impl FnOnce(&mut GsubState) -> R) -> R {
    let Value::UserData(ud) = ud else {
        unreachable!("gsub keeps its state in the window");
    };
    let mut payload = ud.0.payload.borrow_mut();
    let state: &mut dyn Any = &mut **payload;
    f(state
        .downcast_mut::<GsubState>()
        .expect("gsub state payload"))
}

/// The string a running `gsub` keeps in window slot `i`.
fn window_string<'gc>(stack: &Stack<'gc, '_>, i: usize) -> &'gc [u8] {
    match stack.get(i) {
        Value::String(s) => s.as_bytes(),
        _ => unreachable!("gsub keeps its strings in the window"),
    }
}

/// Replaces matches until one needs a call (which continues in [`gsub_continue`]) or the subject
/// is exhausted (returning the result and the count).
fn gsub_loop<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = window_string(stack, SUBJECT);
    let p = window_string(stack, PATTERN);
    let repl = stack.get(REPLACEMENT);
    let state = stack.get(STATE);
    loop {
        let next = with_state(state, |st| st.driver.next_match(s, p, &mut st.out));
        let Some(m) = next.map_err(pattern_error)? else {
            let (out, count) = with_state(state, |st| {
                let driver = st.driver.clone();
                let mut out = std::mem::take(&mut st.out);
                let count = driver.finish(s, &mut out);
                (out, count)
            });
            stack.replace(&[ctx.str(&out), Value::Number(count as f64)]);
            return Ok(Action::Return);
        };
        let function = match repl {
            Value::String(r) => {
                let r = r.as_bytes();
                with_state(state, |st| {
                    pattern::expand_replacement(r, s, &m, &mut st.out)
                })
                .map_err(pattern_error)?;
                continue;
            }
            Value::Table(_) => {
                let key = capture_value(ctx, s, m.capture(0).map_err(pattern_error)?);
                match ops::index(ctx, repl, key).map_err(index_error)? {
                    Outcome::Done(v) => {
                        add_value(ctx, state, s, &m, v)?;
                        continue;
                    }
                    Outcome::Call(f, args) => {
                        stack.push(args[0]);
                        stack.push(args[1]);
                        f
                    }
                }
            }
            _ => {
                push_captures(ctx, stack, s, &m)?;
                repl
            }
        };
        with_state(state, |st| st.pending = Some(m));
        return Ok(Action::Call {
            function,
            keep: STATE + 1,
            then: Some(Continuation::new(gsub_continue, Value::Nil)),
        });
    }
}

/// An `__index` chain that failed while looking up a replacement.
fn index_error<'gc>(e: OpError<'gc>) -> NativeError<'gc> {
    match e {
        OpError::Type { op, culprit, .. } => {
            NativeError::runtime(format!("attempt to {op} a {} value", culprit.type_name()))
        }
        OpError::Compare(..) => NativeError::runtime("attempt to compare values"),
        OpError::Message(m) => NativeError::runtime(m),
    }
}

/// Resumes `gsub` with the first result of a replacement call.
fn gsub_continue<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let value = stack.get(STATE + 1);
    stack.resize(STATE + 1);
    let state = stack.get(STATE);
    let s = window_string(stack, SUBJECT);
    let m = with_state(state, |st| st.pending.take()).expect("gsub continues a pending match");
    add_value(ctx, state, s, &m, value)?;
    gsub_loop(ctx, stack)
}

/// Appends the replacement value of a table or function (5.1's `add_value`): `false`/`nil` keep
/// the match, strings and numbers replace it, anything else is an error.
fn add_value<'gc>(
    ctx: Ctx<'gc>,
    state: Value<'gc>,
    s: &[u8],
    m: &Match,
    value: Value<'gc>,
) -> Result<(), NativeError<'gc>> {
    let bytes: Vec<u8> = match value {
        Value::Nil | Value::Boolean(false) => s[m.start..m.end].to_vec(),
        Value::String(r) => r.as_bytes().to_vec(),
        Value::Number(n) => ops::number_to_string(ctx, n).as_bytes().to_vec(),
        other => {
            return Err(NativeError::runtime(format!(
                "invalid replacement value (a {})",
                other.type_name()
            )))
        }
    };
    with_state(state, |st| st.out.extend_from_slice(&bytes));
    Ok(())
}
