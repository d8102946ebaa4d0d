//! `os.date`, `os.time`, `os.difftime` and `os.clock`.
//!
//! Key design decision: `os.time{...}` reads its fields like `lua_getfield`, honouring `__index`;
//! when a field needs an `__index` function the read becomes an `Action::Call` and continues in
//! [`time_field_read`], with the fields read so far kept in the window. Broken-down times and
//! formatting come from [`crate::text::strftime`]; C's `time_t` casts are `number_to_integer`.

use std::cell::RefCell;

use crate::callback::{Action, Continuation, NativeError, NativeResult, Stack};
use crate::table::Table;
use crate::text::strftime::{format_date, utc_time, TimeZone, Tm};
use crate::value::Value;
use crate::vm::ops::{self, OpError, Outcome};
use crate::vm::Ctx;

use crate::stdlib::args::*;

thread_local! {
    /// The local zone, with the `$TZ` it was read for (re-read when `$TZ` changes, like `tzset`).
    static ZONE: RefCell<Option<(Option<String>, TimeZone)>> = const { RefCell::new(None) };
}

/// Runs `f` with the process's local time zone.
fn with_local_zone<R>(f: impl FnOnce(&TimeZone) -> R) -> R {
    ZONE.with(|z| {
        let tz = std::env::var("TZ").ok();
        let mut z = z.borrow_mut();
        if z.as_ref().is_none_or(|(seen, _)| *seen != tz) {
            *z = Some((tz, TimeZone::local()));
        }
        let (_, zone) = z.as_ref().expect("zone just loaded");
        f(zone)
    })
}

/// `time(NULL)`.
fn now() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// CPU time used by the process, in seconds: the scheduler's nanosecond count in
/// `/proc/self/schedstat`, else `utime + stime` from `/proc/self/stat` (clock ticks of 1/100 s),
/// else the time since the first call.
fn cpu_seconds() -> f64 {
    let from_schedstat = || {
        let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
        let nanos = s.split_whitespace().next()?.parse::<u64>().ok()?;
        (nanos > 0).then(|| nanos as f64 / 1e9)
    };
    let from_stat = || {
        let s = std::fs::read_to_string("/proc/self/stat").ok()?;
        let fields: Vec<&str> = s[s.rfind(')')? + 1..].split_whitespace().collect();
        let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(ticks as f64 / 100.0)
    };
    from_schedstat().or_else(from_stat).unwrap_or_else(|| {
        thread_local!(static START: std::time::Instant = std::time::Instant::now());
        START.with(|s| s.elapsed().as_secs_f64())
    })
}

/// `os.clock`.
pub fn clock<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    stack.replace(&[Value::Number(cpu_seconds())]);
    Ok(Action::Return)
}

/// `(time_t)luaL_checknumber(L, i)`.
fn check_time<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, i64> {
    check_number(stack, i).map(number_to_integer)
}

/// `os.difftime`.
pub fn difftime<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t1 = check_time(stack, 0)?;
    let t0 = if stack.get(1).is_nil() {
        0
    } else {
        check_time(stack, 1)?
    };
    let diff = (i128::from(t1) - i128::from(t0)) as f64;
    stack.replace(&[Value::Number(diff)]);
    Ok(Action::Return)
}

/// `os.date`.
pub fn date<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let format = opt_string(ctx, stack, 0)?.map_or(&b"%c"[..], |s| s.as_bytes());
    let t = if stack.get(1).is_nil() {
        now()
    } else {
        check_time(stack, 1)?
    };
    let (format, tm) = match format.strip_prefix(b"!") {
        Some(rest) => (rest, utc_time(t)),
        None => (format, with_local_zone(|z| z.local_time(t))),
    };
    let result = match tm {
        None => Value::Nil,
        Some(tm) if format.split(|&c| c == 0).next() == Some(b"*t") => {
            Value::Table(date_table(ctx, &tm))
        }
        Some(tm) => {
            let mut out = Vec::new();
            format_date(format, &tm, &mut out);
            ctx.str(out)
        }
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

/// The `*t` table of a broken-down time.
fn date_table<'gc>(ctx: Ctx<'gc>, tm: &Tm) -> Table<'gc> {
    let t = Table::with_capacity(ctx.mc, 0, 9);
    let fields = [
        ("sec", tm.sec as f64),
        ("min", tm.min as f64),
        ("hour", tm.hour as f64),
        ("day", tm.day as f64),
        ("month", tm.month as f64),
        ("year", tm.year as f64),
        ("wday", tm.wday as f64),
        ("yday", tm.yday as f64),
    ];
    for (name, v) in fields {
        let _ = t.set(ctx.mc, ctx.str(name), Value::Number(v));
    }
    let _ = t.set(ctx.mc, ctx.str("isdst"), Value::Boolean(tm.isdst));
    t
}

/// The fields `os.time` reads, in 5.1's order, with their defaults (`None`: required).
const TIME_FIELDS: [(&str, Option<i32>); 6] = [
    ("sec", Some(0)),
    ("min", Some(0)),
    ("hour", Some(12)),
    ("day", None),
    ("month", None),
    ("year", None),
];

/// `os.time`.
pub fn time<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.get(0).is_nil() {
        stack.replace(&[Value::Number(now() as f64)]);
        return Ok(Action::Return);
    }
    check_table(stack, 0)?;
    stack.resize(1);
    read_time_fields(ctx, stack)
}

/// Reads the next field of the date table (the window holds `[table, fields read..]`), or
/// computes the time when all are read.
fn read_time_fields<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    loop {
        let k = stack.len() - 1;
        let Some(name) = TIME_FIELDS
            .get(k)
            .map(|f| f.0)
            .or((k == TIME_FIELDS.len()).then_some("isdst"))
        else {
            return finish_time(stack);
        };
        let key = ctx.str(name);
        match ops::index(ctx, stack.get(0), key) {
            Ok(Outcome::Done(v)) => {
                stack.push(v);
                check_time_field(stack)?;
            }
            Ok(Outcome::Call(function, args)) => {
                let keep = stack.len();
                stack.push(args[0]);
                stack.push(args[1]);
                return Ok(Action::Call {
                    function,
                    keep,
                    then: Some(Continuation::new(
                        time_field_read,
                        Value::Number(keep as f64),
                    )),
                });
            }
            Err(e) => return Err(index_error(e)),
        }
    }
}

/// After an `__index` call: keeps its first result as the field just read (`state` holds how many
/// values the window had before the call).
fn time_field_read<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    state: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let Value::Number(keep) = state else {
        unreachable!("os.time keeps its field count");
    };
    stack.resize(keep as usize + 1);
    check_time_field(stack)?;
    read_time_fields(ctx, stack)
}

/// `getfield`'s check of the field just read (the last value of the window).
fn check_time_field<'gc>(stack: &Stack<'gc, '_>) -> Result<(), NativeError<'gc>> {
    let k = stack.len() - 2;
    if let Some(&(name, None)) = TIME_FIELDS.get(k) {
        if ops::to_number(stack.get(k + 1)).is_none() {
            return Err(NativeError::runtime(format!(
                "field '{name}' missing in date table"
            )));
        }
    }
    Ok(())
}

/// A field's value as `getfield` computes it: `(int)lua_tointeger`, or the default.
fn field_value(v: Value<'_>, default: Option<i32>) -> i32 {
    ops::to_number(v).map_or(default.unwrap_or(0), |n| number_to_integer(n) as i32)
}

/// `mktime` of the fields read (window: `[table, sec, min, hour, day, month, year, isdst]`).
fn finish_time<'gc>(stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let f = |i: usize| field_value(stack.get(i + 1), TIME_FIELDS[i].1);
    let (sec, min, hour, day) = (f(0), f(1), f(2), f(3));
    let month0 = f(4).wrapping_sub(1);
    let year = i64::from(f(5).wrapping_sub(1900)) + 1900;
    let isdst = match stack.get(7) {
        Value::Nil => None,
        v => Some(v.is_truthy()),
    };
    let t = with_local_zone(|z| {
        let t = z.mktime(
            year,
            i64::from(month0) + 1,
            i64::from(day),
            i64::from(hour),
            i64::from(min),
            i64::from(sec),
        )?;
        Some(adjust_for_dst_hint(z, t, isdst))
    });
    let result = match t {
        Some(t) if t != -1 => Value::Number(t as f64),
        _ => Value::Nil,
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

/// glibc's `mktime` with a `tm_isdst` hint that disagrees with the zone at that time shifts the
/// result by the daylight-saving difference (one hour, also in zones without DST).
fn adjust_for_dst_hint(zone: &TimeZone, t: i64, isdst: Option<bool>) -> i64 {
    let actual = zone.local_time(t).is_some_and(|tm| tm.isdst);
    match isdst {
        Some(true) if !actual => t - 3600,
        Some(false) if actual => t + 3600,
        _ => t,
    }
}

/// An `__index` failure while reading a date field (raised inside the C function: no position).
fn index_error<'gc>(e: OpError<'gc>) -> NativeError<'gc> {
    let message = match e {
        OpError::Type { op, culprit, .. } => {
            format!("attempt to {op} a {} value", culprit.type_name())
        }
        OpError::Compare(..) => "attempt to compare values".to_string(),
        OpError::Message(m) => m.to_string(),
    };
    NativeError::Located {
        message: message.into_bytes(),
        level: 0,
    }
}
