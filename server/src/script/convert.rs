//! Conversions between Redis replies and Lua values, exactly as Redis 7.0's `script_lua.c` does them.
//!
//! Redis → Lua ([`resp_to_lua`]): a command called from a script writes its reply into a scratch
//! buffer in the script's protocol (`redis.setresp`), which is parsed here: integers become
//! numbers, bulk strings strings, a null bulk/array `false` (RESP2) or `nil` (RESP3 null), status
//! and error replies `{ok=...}` / `{err=...}` tables, RESP3 maps `{map={k=v}}`, sets
//! `{set={m=true}}`, doubles `{double=n}`, big numbers `{big_number=s}`, verbatim strings
//! `{verbatim_string={format=f, string=s}}`; attributes are skipped.
//!
//! Lua → Redis ([`lua_to_reply`]): strings are bulk strings, numbers integers (truncated), `true` 1
//! and `false` null (or RESP3 booleans after `redis.setresp(3)`), tables with `err`/`ok`/`double`/
//! `big_number`/`verbatim_string`/`map`/`set` fields the matching reply, other tables arrays that
//! stop at the first `nil`. Key decision: parsing the RESP bytes the command wrote (as Redis does)
//! keeps one reply path for clients and scripts.

use crate::resp::Reply;
use ferrous_lua::table::Table;
use ferrous_lua::vm::Ctx;
use ferrous_lua::Value;

/// Nesting depth past which a returned table is answered with Redis's stack-limit error.
const MAX_DEPTH: usize = 7990;

/// Parses one RESP reply at `*pos` of `buf` into a Lua value.
pub fn resp_to_lua<'gc>(ctx: Ctx<'gc>, buf: &[u8], pos: &mut usize) -> Value<'gc> {
    let Some(&kind) = buf.get(*pos) else {
        return Value::Nil;
    };
    let line = read_line(buf, pos);
    let text = &line[1.min(line.len())..];
    match kind {
        b':' => Value::Number(parse_i64(text) as f64),
        b'$' => match parse_i64(text) {
            n if n < 0 => Value::Boolean(false),
            n => Value::String(ctx.intern(take_bulk(buf, pos, n as usize))),
        },
        b'+' => field_table(ctx, "ok", ctx.str(text)),
        b'-' => field_table(ctx, "err", ctx.str(text)),
        b'*' | b'>' => match parse_i64(text) {
            n if n < 0 => Value::Boolean(false),
            n => {
                let t = new_array(ctx, n as usize, buf.len() - *pos);
                for i in 1..=n {
                    let v = resp_to_lua(ctx, buf, pos);
                    t.set_int(ctx.mc, i, v);
                }
                Value::Table(t)
            }
        },
        b'%' => {
            let t = Table::new(ctx.mc);
            for _ in 0..parse_i64(text) {
                let k = resp_to_lua(ctx, buf, pos);
                let v = resp_to_lua(ctx, buf, pos);
                let _ = t.set(ctx.mc, k, v);
            }
            field_table(ctx, "map", Value::Table(t))
        }
        b'~' => {
            let t = Table::new(ctx.mc);
            for _ in 0..parse_i64(text) {
                let k = resp_to_lua(ctx, buf, pos);
                let _ = t.set(ctx.mc, k, Value::Boolean(true));
            }
            field_table(ctx, "set", Value::Table(t))
        }
        b'|' => {
            for _ in 0..parse_i64(text) * 2 {
                resp_to_lua(ctx, buf, pos);
            }
            resp_to_lua(ctx, buf, pos)
        }
        b'_' => Value::Nil,
        b'#' => Value::Boolean(text == b"t"),
        b',' => {
            let d = std::str::from_utf8(text)
                .ok()
                .and_then(|s| match s {
                    "inf" => Some(f64::INFINITY),
                    "-inf" => Some(f64::NEG_INFINITY),
                    s => s.parse().ok(),
                })
                .unwrap_or(0.0);
            field_table(ctx, "double", Value::Number(d))
        }
        b'(' => field_table(ctx, "big_number", ctx.str(text)),
        b'=' => {
            let data = take_bulk(buf, pos, parse_i64(text).max(0) as usize);
            let (format, string) = if data.len() >= 4 {
                (&data[..3], &data[4..])
            } else {
                (&b""[..], data)
            };
            let inner = Table::new(ctx.mc);
            let _ = inner.set(ctx.mc, ctx.str("format"), ctx.str(format));
            let _ = inner.set(ctx.mc, ctx.str("string"), ctx.str(string));
            field_table(ctx, "verbatim_string", Value::Table(inner))
        }
        _ => Value::Nil,
    }
}

/// A table for an `n`-element array reply, sized as Redis's (`lua_newtable` then one `settable`
/// per element leaves an array part of the next power of two), so filling it never rehashes;
/// `n` is trusted only as far as the `rest` bytes left could hold that many elements.
fn new_array(ctx: Ctx<'_>, n: usize, rest: usize) -> Table<'_> {
    match n.min(rest / 3) {
        0 => Table::new(ctx.mc),
        n => Table::with_capacity(ctx.mc, n.next_power_of_two(), 0),
    }
}

/// `{name = value}`.
pub fn field_table<'gc>(ctx: Ctx<'gc>, name: &str, value: Value<'gc>) -> Value<'gc> {
    let t = Table::with_capacity(ctx.mc, 0, 1);
    let _ = t.set(ctx.mc, ctx.str(name), value);
    Value::Table(t)
}

/// The line at `*pos` without its CRLF; advances past it.
fn read_line<'b>(buf: &'b [u8], pos: &mut usize) -> &'b [u8] {
    let start = *pos;
    let mut end = start;
    loop {
        match buf[end..].iter().position(|&b| b == b'\r') {
            Some(i) if buf.get(end + i + 1) == Some(&b'\n') => {
                end += i;
                break;
            }
            Some(i) => end += i + 1,
            None => {
                end = buf.len();
                break;
            }
        }
    }
    *pos = (end + 2).min(buf.len());
    &buf[start..end]
}

/// The `n` payload bytes of a bulk string at `*pos`; advances past them and their CRLF.
fn take_bulk<'b>(buf: &'b [u8], pos: &mut usize, n: usize) -> &'b [u8] {
    let start = (*pos).min(buf.len());
    let end = (start + n).min(buf.len());
    *pos = (end + 2).min(buf.len());
    &buf[start..end]
}

/// A RESP length or integer (0 when it is not one).
fn parse_i64(text: &[u8]) -> i64 {
    let (neg, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 18 {
        return parse_slow(text);
    }
    let mut n: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return 0;
        }
        n = n * 10 + (d - b'0') as i64;
    }
    if neg {
        -n
    } else {
        n
    }
}

fn parse_slow(text: &[u8]) -> i64 {
    std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// A raw string field of a table, if it holds a string.
pub fn string_field<'gc>(ctx: Ctx<'gc>, t: Table<'gc>, name: &str) -> Option<&'gc [u8]> {
    match t.get_str(ctx.intern(name.as_bytes())) {
        Value::String(s) => Some(s.as_bytes()),
        _ => None,
    }
}

/// C's `(long long)` cast of a double as x86-64 does it: out of range and NaN give `i64::MIN`.
pub fn truncate(n: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// How an error table returned or raised by a script reads: its `err` text and where it was raised.
pub struct ErrorInfo {
    /// The `err` field.
    pub msg: Option<Vec<u8>>,
    /// The `source` field (`@user_script`).
    pub source: Option<Vec<u8>>,
    /// The `line` field, as text.
    pub line: Option<Vec<u8>>,
}

/// Reads `err`, `source` and `line` from an error table (`luaExtractErrorInformation`).
pub fn error_info<'gc>(ctx: Ctx<'gc>, t: Table<'gc>) -> ErrorInfo {
    let text = |name: &str| match t.get_str(ctx.intern(name.as_bytes())) {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        Value::Number(n) => Some(
            ferrous_lua::vm::ops::number_to_string(ctx, n)
                .as_bytes()
                .to_vec(),
        ),
        _ => None,
    };
    ErrorInfo {
        msg: text("err"),
        source: text("source"),
        line: text("line"),
    }
}

/// Writes a Lua value as a reply to the client (`luaReplyToRedisReply`); `resp3_script` is true
/// after `redis.setresp(3)`, which turns booleans into RESP3 booleans.
pub fn lua_to_reply<'gc>(ctx: Ctx<'gc>, v: Value<'gc>, out: &mut Reply, resp3_script: bool) {
    write_value(ctx, v, out, resp3_script, 0);
}

fn write_value<'gc>(ctx: Ctx<'gc>, v: Value<'gc>, out: &mut Reply, resp3: bool, depth: usize) {
    if depth > MAX_DEPTH {
        out.error("ERR reached lua stack limit");
        return;
    }
    match v {
        Value::String(s) => out.bulk(s.as_bytes()),
        Value::Boolean(b) if resp3 => out.boolean(b),
        Value::Boolean(true) => out.int(1),
        Value::Number(n) => out.int(truncate(n)),
        Value::Table(t) => write_table(ctx, t, out, resp3, depth),
        _ => out.null(),
    }
}

fn write_table<'gc>(ctx: Ctx<'gc>, t: Table<'gc>, out: &mut Reply, resp3: bool, depth: usize) {
    if only_array(t) {
        let n = {
            let data = t.data();
            data.array()
                .iter()
                .position(|v| v.is_nil())
                .unwrap_or(data.array().len())
        };
        out.array(n);
        for i in 1..=n {
            write_value(ctx, t.get_int(i as i64), out, resp3, depth + 1);
        }
        return;
    }
    if string_field(ctx, t, "err").is_some() {
        let msg = error_info(ctx, t).msg.unwrap_or_default();
        out.error(&String::from_utf8_lossy(&msg));
        return;
    }
    if let Some(ok) = string_field(ctx, t, "ok") {
        out.simple(&String::from_utf8_lossy(ok).replace(['\r', '\n'], " "));
        return;
    }
    let field = |name: &str| t.get_str(ctx.intern(name.as_bytes()));
    if let Value::Number(d) = field("double") {
        out.double(d);
        return;
    }
    if let Some(big) = string_field(ctx, t, "big_number") {
        out.big_number(&String::from_utf8_lossy(big).replace(['\r', '\n'], " "));
        return;
    }
    if let Value::Table(vt) = field("verbatim_string") {
        if let (Some(f), Some(s)) = (
            string_field(ctx, vt, "format"),
            string_field(ctx, vt, "string"),
        ) {
            out.verbatim(&String::from_utf8_lossy(f), s);
            return;
        }
    }
    if let Value::Table(m) = field("map") {
        let pairs = entries(m);
        out.map(pairs.len());
        for (k, v) in pairs {
            write_value(ctx, k, out, resp3, depth + 1);
            write_value(ctx, v, out, resp3, depth + 1);
        }
        return;
    }
    if let Value::Table(s) = field("set") {
        let members = entries(s);
        out.set(members.len());
        for (k, _) in members {
            write_value(ctx, k, out, resp3, depth + 1);
        }
        return;
    }
    let mut items = Vec::new();
    loop {
        let v = t.get_int(items.len() as i64 + 1);
        if v.is_nil() {
            break;
        }
        items.push(v);
    }
    out.array(items.len());
    for v in items {
        write_value(ctx, v, out, resp3, depth + 1);
    }
}

/// Whether every key of `t` is in its array part (then it has none of the special fields, and
/// the reply is the array up to its first `nil`).
fn only_array(t: Table<'_>) -> bool {
    let data = t.data();
    let end = match data.array().len() {
        0 => Value::Nil,
        n => Value::Number(n as f64),
    };
    matches!(data.next(end), Ok(None))
}

fn entries<'gc>(t: Table<'gc>) -> Vec<(Value<'gc>, Value<'gc>)> {
    let mut out = Vec::new();
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = t.next(key) {
        out.push((k, v));
        key = k;
    }
    out
}
