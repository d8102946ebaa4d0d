//! Lua's operations on values with their metamethod fallbacks (`lvm.c`'s helpers).
//!
//! Each operation either completes (a value or a truth) or names the metamethod the VM must call,
//! which it then calls as an ordinary frame; none of these functions calls Lua code itself. Errors
//! are returned as [`OpError`], which the VM words with variable names from the call site.

use crate::string::LuaString;
use crate::table::{Table, READONLY_MESSAGE};
use crate::text::number::{format_number, parse_number};
use crate::value::Value;

use super::meta::Event;
use super::Ctx;

/// Longest `__index`/`__newindex` chain followed (`MAXTAGLOOP`).
const MAX_TAG_LOOP: usize = 100;

/// A failed operation, before it is worded.
#[derive(Debug)]
pub enum OpError<'gc> {
    /// `attempt to <op> <name> (a <type> value)`; `original` says whether the culprit is the
    /// instruction's own operand (which can then be named).
    Type {
        /// The verb phrase: `index`, `call`, `perform arithmetic on`, `concatenate`, `get length of`.
        op: &'static str,
        /// The value of the wrong type.
        culprit: Value<'gc>,
        /// Whether it is the operand itself rather than a value reached through `__index`.
        original: bool,
    },
    /// `attempt to compare ...`
    Compare(Value<'gc>, Value<'gc>),
    /// Any other message (`loop in gettable`, `table index is nil`).
    Message(&'static str),
}

/// Result of an operation that may need a metamethod call.
pub enum Outcome<'gc, T> {
    /// Completed.
    Done(T),
    /// Call `function` with `args` and use its first result.
    Call(Value<'gc>, [Value<'gc>; 2]),
}

/// Converts a value to a number the way arithmetic does (numbers and numeric strings).
#[inline]
pub fn to_number(v: Value<'_>) -> Option<f64> {
    match v {
        Value::Number(n) => Some(n),
        Value::String(s) => parse_number(s.as_bytes()),
        _ => None,
    }
}

/// Appends the string form a number or string takes in concatenation; `false` for other types.
#[inline]
pub fn append_string(v: Value<'_>, out: &mut Vec<u8>) -> bool {
    match v {
        Value::String(s) => {
            out.extend_from_slice(s.as_bytes());
            true
        }
        Value::Number(n) => {
            format_number(n, out);
            true
        }
        _ => false,
    }
}

/// Converts a number to a string value (for `tostring`, concatenation and string functions).
pub fn number_to_string<'gc>(ctx: Ctx<'gc>, n: f64) -> LuaString<'gc> {
    let mut buf = Vec::with_capacity(24);
    format_number(n, &mut buf);
    ctx.intern(&buf)
}

/// The arithmetic of one binary event on two numbers.
#[inline(always)]
pub fn arith(event: Event, a: f64, b: f64) -> f64 {
    match event {
        Event::Add => a + b,
        Event::Sub => a - b,
        Event::Mul => a * b,
        Event::Div => a / b,
        Event::Mod => lua_mod(a, b),
        Event::Pow => a.powf(b),
        _ => -a,
    }
}

/// Lua 5.1's `%`: `a - floor(a/b)*b`.
#[inline(always)]
pub fn lua_mod(a: f64, b: f64) -> f64 {
    a - floor(a / b) * b
}

/// `x.floor()` without a library call (x86-64's baseline has no rounding instruction, and the
/// call costs more than the `%` around it): truncate through an integer and step down for
/// negative non-integers. Values of magnitude 2^52 and more (and NaN, infinities) are integral
/// already; floor keeps the sign of `x`, which `copysign` restores for -0.0.
#[inline(always)]
fn floor(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let t = x as i64 as f64;
        let t = if t > x { t - 1.0 } else { t };
        t.copysign(x)
    } else {
        x
    }
}

/// Arithmetic on arbitrary values: coercion first, then the operands' metamethod.
pub fn arith_values<'gc>(
    ctx: Ctx<'gc>,
    event: Event,
    a: Value<'gc>,
    b: Value<'gc>,
) -> Result<Outcome<'gc, Value<'gc>>, OpError<'gc>> {
    if let (Some(x), Some(y)) = (to_number(a), to_number(b)) {
        return Ok(Outcome::Done(Value::Number(arith(event, x, y))));
    }
    let mut tm = metamethod_of(ctx, a, event);
    if tm.is_nil() {
        tm = metamethod_of(ctx, b, event);
    }
    if tm.is_nil() {
        let culprit = if to_number(a).is_none() { a } else { b };
        return Err(OpError::Type {
            op: "perform arithmetic on",
            culprit,
            original: true,
        });
    }
    Ok(Outcome::Call(tm, [a, b]))
}

/// A metamethod of a value (`luaT_gettmbyobj`), using the table cache when possible.
#[inline]
pub fn metamethod_of<'gc>(ctx: Ctx<'gc>, v: Value<'gc>, event: Event) -> Value<'gc> {
    match ctx.metatable(v) {
        Some(mt) => mt.metamethod(event as u32, ctx.state.names.get(event)),
        None => Value::Nil,
    }
}

/// `t[k]` with `__index` (`luaV_gettable`).
#[inline]
pub fn index<'gc>(
    ctx: Ctx<'gc>,
    t: Value<'gc>,
    key: Value<'gc>,
) -> Result<Outcome<'gc, Value<'gc>>, OpError<'gc>> {
    match t {
        Value::Table(table) => index_table(ctx, table, key),
        _ => index_from(ctx, t, key, 0),
    }
}

/// `t[k]` for a table `t`: follows `__index` tables in a loop (one borrow per level) and leaves
/// everything else to [`index_from`].
#[inline]
pub fn index_table<'gc>(
    ctx: Ctx<'gc>,
    table: Table<'gc>,
    key: Value<'gc>,
) -> Result<Outcome<'gc, Value<'gc>>, OpError<'gc>> {
    let mut v = Value::Nil;
    match table.get_into(key, &mut v) {
        None => Ok(Outcome::Done(v)),
        Some(mt) => index_meta(ctx, table, mt, key),
    }
}

/// `t[k]` where table `t` (with metatable `mt`) has no value under `k`: the `__index` chain.
pub fn index_meta<'gc>(
    ctx: Ctx<'gc>,
    mut table: Table<'gc>,
    mut mt: Table<'gc>,
    key: Value<'gc>,
) -> Result<Outcome<'gc, Value<'gc>>, OpError<'gc>> {
    for depth in 1..MAX_TAG_LOOP {
        match mt.metamethod(Event::Index as u32, ctx.state.names.get(Event::Index)) {
            Value::Nil => return Ok(Outcome::Done(Value::Nil)),
            Value::Table(next) => {
                let mut v = Value::Nil;
                match next.get_into(key, &mut v) {
                    Some(m) => {
                        table = next;
                        mt = m;
                    }
                    None => return Ok(Outcome::Done(v)),
                }
            }
            tm if tm.is_function() => return Ok(Outcome::Call(tm, [Value::Table(table), key])),
            tm => return index_from(ctx, tm, key, depth),
        }
    }
    Err(OpError::Message("loop in gettable"))
}

/// The general `__index` loop, starting at chain depth `start` with value `t`.
fn index_from<'gc>(
    ctx: Ctx<'gc>,
    mut t: Value<'gc>,
    key: Value<'gc>,
    start: usize,
) -> Result<Outcome<'gc, Value<'gc>>, OpError<'gc>> {
    for depth in start..MAX_TAG_LOOP {
        let tm = if let Value::Table(table) = t {
            let v = table.get(key);
            if !v.is_nil() {
                return Ok(Outcome::Done(v));
            }
            match table.metatable() {
                None => return Ok(Outcome::Done(Value::Nil)),
                Some(mt) => {
                    let tm = mt.metamethod(Event::Index as u32, ctx.state.names.get(Event::Index));
                    if tm.is_nil() {
                        return Ok(Outcome::Done(Value::Nil));
                    }
                    tm
                }
            }
        } else {
            let tm = metamethod_of(ctx, t, Event::Index);
            if tm.is_nil() {
                return Err(OpError::Type {
                    op: "index",
                    culprit: t,
                    original: depth == 0,
                });
            }
            tm
        };
        if tm.is_function() {
            return Ok(Outcome::Call(tm, [t, key]));
        }
        t = tm;
    }
    Err(OpError::Message("loop in gettable"))
}

/// What a `t[k] = v` needs done.
pub enum Assign<'gc> {
    /// Stored.
    Done,
    /// Call `__newindex(t, k, v)`.
    Call(Value<'gc>, Value<'gc>),
}

/// `t[k] = v` with `__newindex` (`luaV_settable`).
pub fn new_index<'gc>(
    ctx: Ctx<'gc>,
    mut t: Value<'gc>,
    key: Value<'gc>,
    value: Value<'gc>,
) -> Result<Assign<'gc>, OpError<'gc>> {
    for depth in 0..MAX_TAG_LOOP {
        let tm = if let Value::Table(table) = t {
            if table.is_readonly() {
                return Err(OpError::Message(READONLY_MESSAGE));
            }
            let tm = match table.metatable() {
                Some(mt) if table.get(key).is_nil() => {
                    mt.metamethod(Event::NewIndex as u32, ctx.state.names.get(Event::NewIndex))
                }
                _ => Value::Nil,
            };
            if tm.is_nil() {
                return match table.set(ctx.mc, key, value) {
                    Ok(()) => Ok(Assign::Done),
                    Err(e) => Err(OpError::Message(e.message())),
                };
            }
            tm
        } else {
            let tm = metamethod_of(ctx, t, Event::NewIndex);
            if tm.is_nil() {
                return Err(OpError::Type {
                    op: "index",
                    culprit: t,
                    original: depth == 0,
                });
            }
            tm
        };
        if tm.is_function() {
            return Ok(Assign::Call(tm, t));
        }
        t = tm;
    }
    Err(OpError::Message("loop in settable"))
}

/// The `__eq` handler for two values of the same reference type, if 5.1 would call one.
fn equality_handler<'gc>(ctx: Ctx<'gc>, a: Value<'gc>, b: Value<'gc>) -> Value<'gc> {
    let (Some(mt1), Some(mt2)) = (ctx.metatable(a), ctx.metatable(b)) else {
        return Value::Nil;
    };
    let tm1 = mt1.metamethod(Event::Eq as u32, ctx.state.names.get(Event::Eq));
    if tm1.is_nil() {
        return Value::Nil;
    }
    if mt1 == mt2 {
        return tm1;
    }
    let tm2 = mt2.metamethod(Event::Eq as u32, ctx.state.names.get(Event::Eq));
    if tm1.raw_equal(tm2) {
        tm1
    } else {
        Value::Nil
    }
}

/// `a == b` (`luaV_equalval`).
#[inline(always)]
pub fn equals<'gc>(ctx: Ctx<'gc>, a: Value<'gc>, b: Value<'gc>) -> Outcome<'gc, bool> {
    if a.raw_equal(b) {
        return Outcome::Done(true);
    }
    match (a, b) {
        (Value::Table(_), Value::Table(_)) | (Value::UserData(_), Value::UserData(_)) => {
            let tm = equality_handler(ctx, a, b);
            if tm.is_nil() {
                Outcome::Done(false)
            } else {
                Outcome::Call(tm, [a, b])
            }
        }
        _ => Outcome::Done(false),
    }
}

/// Byte-wise string order (the C locale's `strcoll`).
#[inline]
pub fn string_less(a: LuaString<'_>, b: LuaString<'_>) -> bool {
    a.as_bytes() < b.as_bytes()
}

fn order_handler<'gc>(ctx: Ctx<'gc>, a: Value<'gc>, b: Value<'gc>, event: Event) -> Value<'gc> {
    let tm1 = metamethod_of(ctx, a, event);
    if tm1.is_nil() {
        return Value::Nil;
    }
    let tm2 = metamethod_of(ctx, b, event);
    if tm1.raw_equal(tm2) {
        tm1
    } else {
        Value::Nil
    }
}

/// Result of an order comparison needing a metamethod: call it, and negate the result if told.
pub struct OrderCall<'gc> {
    /// The handler.
    pub function: Value<'gc>,
    /// Its arguments.
    pub args: [Value<'gc>; 2],
    /// Whether the answer is `not result` (`__le` emulated by `__lt`).
    pub negate: bool,
}

/// `a < b` (`luaV_lessthan`).
pub fn less_than<'gc>(
    ctx: Ctx<'gc>,
    a: Value<'gc>,
    b: Value<'gc>,
) -> Result<Result<bool, OrderCall<'gc>>, OpError<'gc>> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Ok(Ok(x < y)),
        (Value::String(x), Value::String(y)) => Ok(Ok(string_less(x, y))),
        _ if a.type_tag() != b.type_tag() => Err(OpError::Compare(a, b)),
        _ => {
            let tm = order_handler(ctx, a, b, Event::Lt);
            if tm.is_nil() {
                return Err(OpError::Compare(a, b));
            }
            Ok(Err(OrderCall {
                function: tm,
                args: [a, b],
                negate: false,
            }))
        }
    }
}

/// `a <= b` (`lessequal`), falling back to `not (b < a)`.
pub fn less_equal<'gc>(
    ctx: Ctx<'gc>,
    a: Value<'gc>,
    b: Value<'gc>,
) -> Result<Result<bool, OrderCall<'gc>>, OpError<'gc>> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Ok(Ok(x <= y)),
        (Value::String(x), Value::String(y)) => Ok(Ok(!string_less(y, x))),
        _ if a.type_tag() != b.type_tag() => Err(OpError::Compare(a, b)),
        _ => {
            let tm = order_handler(ctx, a, b, Event::Le);
            if !tm.is_nil() {
                return Ok(Err(OrderCall {
                    function: tm,
                    args: [a, b],
                    negate: false,
                }));
            }
            let tm = order_handler(ctx, b, a, Event::Lt);
            if !tm.is_nil() {
                return Ok(Err(OrderCall {
                    function: tm,
                    args: [b, a],
                    negate: true,
                }));
            }
            Err(OpError::Compare(a, b))
        }
    }
}

/// `#v` (`OP_LEN`): strings and tables natively (5.1 ignores `__len` on tables), others by `__len`.
pub fn length<'gc>(ctx: Ctx<'gc>, v: Value<'gc>) -> Result<Outcome<'gc, Value<'gc>>, OpError<'gc>> {
    match v {
        Value::String(s) => Ok(Outcome::Done(Value::Number(s.len() as f64))),
        Value::Table(t) => Ok(Outcome::Done(Value::Number(t.length() as f64))),
        _ => {
            let tm = metamethod_of(ctx, v, Event::Len);
            if tm.is_nil() {
                Err(OpError::Type {
                    op: "get length of",
                    culprit: v,
                    original: true,
                })
            } else {
                Ok(Outcome::Call(tm, [v, Value::Nil]))
            }
        }
    }
}

/// `-v` (`OP_UNM`): numbers and numeric strings, else `__unm(v, v)`.
pub fn negate<'gc>(ctx: Ctx<'gc>, v: Value<'gc>) -> Result<Outcome<'gc, Value<'gc>>, OpError<'gc>> {
    arith_values(ctx, Event::Unm, v, v)
}

/// One step of `CONCAT` over `values` (the registers `first..=last`): joins the longest run of
/// strings/numbers ending at the last register. Returns how many registers the run covered, or the
/// `__concat` handler to call on the last two values.
pub fn concat_step<'gc>(
    ctx: Ctx<'gc>,
    values: &[Value<'gc>],
    buf: &mut Vec<u8>,
) -> Result<Result<(Value<'gc>, usize), Value<'gc>>, OpError<'gc>> {
    let n = values.len();
    let (a, b) = (values[n - 2], values[n - 1]);
    let stringy = |v: Value<'gc>| matches!(v, Value::String(_) | Value::Number(_));
    if !stringy(a) || !stringy(b) {
        let mut tm = metamethod_of(ctx, a, Event::Concat);
        if tm.is_nil() {
            tm = metamethod_of(ctx, b, Event::Concat);
        }
        if tm.is_nil() {
            let culprit = if stringy(a) { b } else { a };
            return Err(OpError::Type {
                op: "concatenate",
                culprit,
                original: true,
            });
        }
        return Ok(Err(tm));
    }
    let mut start = n - 2;
    while start > 0 && stringy(values[start - 1]) {
        start -= 1;
    }
    buf.clear();
    for v in &values[start..] {
        append_string(*v, buf);
    }
    Ok(Ok((Value::String(ctx.intern(buf)), n - start)))
}

/// Whether `v` is a table without a metatable (fast paths skip metamethod checks for these).
#[inline]
pub fn plain_table(v: Value<'_>) -> Option<Table<'_>> {
    match v {
        Value::Table(t) => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_matches_the_library() {
        let cases = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.5,
            -2.5,
            1e15 + 0.5,
            -1e15 - 0.5,
            4.5e15,
            -4.5e15,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
        ];
        for x in cases {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "{x}");
        }
        assert!(floor(f64::NAN).is_nan());
        assert_eq!(
            lua_mod(-0.0, 5.0).to_bits(),
            (-0.0f64 - (-0.0f64 / 5.0).floor() * 5.0).to_bits()
        );
    }
}
