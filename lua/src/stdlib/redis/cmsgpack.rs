//! `cmsgpack`: lua-cmsgpack 0.4.0 as Redis embeds it — `pack`, `unpack`, `unpack_one` and
//! `unpack_limit`.
//!
//! Key design decision: encoding follows the C library's choices literally (a table whose keys are
//! exactly `1..n` is an array, any other table a map; integral doubles in the `int64` range are
//! integers in the smallest format, other numbers `float32` when that loses nothing, else
//! `float64`; tables nested 16 deep become nil, which also stops cycles). Decoding is a loop over
//! an explicit stack of open arrays and maps that counts the Lua stack slots the C decoder would
//! use, so deep or long inputs fail with C's `stack overflow (...)` messages at the same point.

use crate::callback::{Action, NativeError, NativeResult, Stack};
use crate::stdlib::args::{check_integer, check_string, opt_integer};
use crate::table::Table;
use crate::value::Value;
use crate::vm::Ctx;

use super::MAX_C_STACK;

/// Tables nested deeper than this are encoded as nil (`LUACMSGPACK_MAX_NESTING`).
const MAX_NESTING: usize = 16;

/// The `cmsgpack` table.
pub fn module(ctx: Ctx<'_>) -> Table<'_> {
    let t = super::table_with(
        ctx,
        &[
            ("_NAME", ctx.str("cmsgpack")),
            ("_VERSION", ctx.str("lua-cmsgpack 0.4.0")),
            (
                "_COPYRIGHT",
                ctx.str("Copyright (C) 2012, Salvatore Sanfilippo"),
            ),
            (
                "_DESCRIPTION",
                ctx.str("MessagePack C implementation for Lua"),
            ),
        ],
    );
    crate::stdlib::register(
        ctx,
        t,
        &[
            ("pack", pack),
            ("unpack", unpack),
            ("unpack_one", unpack_one),
            ("unpack_limit", unpack_limit),
        ],
    );
    t
}

// ----- Encoding -----

/// `cmsgpack.pack(...)`: the encodings of all arguments, concatenated.
fn pack<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let nargs = stack.len();
    if nargs == 0 {
        return Err(NativeError::bad_argument(
            0,
            "MessagePack pack needs input.",
        ));
    }
    if 2 * nargs > MAX_C_STACK {
        return Err(NativeError::bad_argument(
            0,
            "Too many arguments for MessagePack pack.",
        ));
    }
    let mut out = Vec::new();
    for i in 0..nargs {
        encode_value(&mut out, stack.get(i), 0);
    }
    stack.replace(&[ctx.str(&out)]);
    Ok(Action::Return)
}

/// Encodes `v` found at nesting `level` (`mp_encode_lua_type`).
fn encode_value(out: &mut Vec<u8>, v: Value<'_>, level: usize) {
    match v {
        Value::String(s) => encode_bytes(out, s.as_bytes()),
        Value::Boolean(b) => out.push(if b { 0xc3 } else { 0xc2 }),
        Value::Number(n) => encode_number(out, n),
        Value::Table(t) if level < MAX_NESTING => encode_table(out, t, level),
        _ => out.push(0xc0),
    }
}

fn encode_bytes(out: &mut Vec<u8>, s: &[u8]) {
    let len = s.len();
    if len < 32 {
        out.push(0xa0 | len as u8);
    } else if len <= 0xff {
        out.extend_from_slice(&[0xd9, len as u8]);
    } else if len <= 0xffff {
        out.push(0xda);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
    out.extend_from_slice(s);
}

/// `IS_INT64_EQUIVALENT`: finite and unchanged by C's `(int64_t)` cast (which gives `INT64_MIN`
/// out of range), i.e. integral in `[-2^63, 2^63)`.
fn as_int64(n: f64) -> Option<i64> {
    let i = crate::stdlib::args::number_to_integer(n);
    (n.is_finite() && i as f64 == n).then_some(i)
}

fn encode_number(out: &mut Vec<u8>, n: f64) {
    match as_int64(n) {
        Some(i) => encode_int(out, i),
        None => {
            let f = n as f32;
            if f64::from(f) == n {
                out.push(0xca);
                out.extend_from_slice(&f.to_be_bytes());
            } else {
                out.push(0xcb);
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
    }
}

fn encode_int(out: &mut Vec<u8>, n: i64) {
    if n >= 0 {
        if n <= 127 {
            out.push(n as u8);
        } else if n <= 0xff {
            out.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= 0xffff {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as i8 as u8);
    } else if n >= -128 {
        out.extend_from_slice(&[0xd0, n as i8 as u8]);
    } else if n >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -2_147_483_648 {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// Writes an array or map header: the fix form (`fix`), 16 bits (`wide`) or 32 bits (`wide + 1`).
fn encode_header(out: &mut Vec<u8>, n: usize, fix: u8, wide: u8) {
    if n <= 15 {
        out.push(fix | n as u8);
    } else if n <= 0xffff {
        out.push(wide);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(wide + 1);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

/// `table_is_an_array`: every key a positive number equal to its C `int` cast, and the largest
/// equal to the count (the empty table is an array).
fn is_array(t: Table<'_>) -> bool {
    let mut count: i64 = 0;
    let mut max: i64 = 0;
    let mut key = Value::Nil;
    while let Ok(Some((k, _))) = t.next(key) {
        let Value::Number(n) = k else { return false };
        if n <= 0.0 || crate::text::printf::c_int(n) as f64 != n {
            return false;
        }
        max = max.max(n as i64);
        count += 1;
        key = k;
    }
    max == count
}

fn encode_table(out: &mut Vec<u8>, t: Table<'_>, level: usize) {
    if is_array(t) {
        let len = t.length();
        encode_header(out, len, 0x90, 0xdc);
        for j in 1..=len {
            encode_value(out, t.get_int(j as i64), level + 1);
        }
    } else {
        let mut entries = Vec::new();
        let mut key = Value::Nil;
        while let Ok(Some((k, v))) = t.next(key) {
            entries.push((k, v));
            key = k;
        }
        encode_header(out, entries.len(), 0x80, 0xde);
        for (k, v) in entries {
            encode_value(out, k, level + 1);
            encode_value(out, v, level + 1);
        }
    }
}

// ----- Decoding -----

/// Why decoding stopped.
enum DecodeError<'gc> {
    /// Not enough bytes (`MP_CUR_ERROR_EOF`).
    Eof,
    /// An unknown type byte (`MP_CUR_ERROR_BADFMT`).
    BadFormat,
    /// A Lua error raised on the spot (stack overflow, nil or NaN map key).
    Raised(NativeError<'gc>),
}

/// The input and the read position (`mp_cur`).
struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn left(&self) -> usize {
        self.data.len() - self.pos
    }

    /// `mp_cur_need` then consume: the next `n` bytes.
    fn take<'gc>(&mut self, n: usize) -> Result<&'a [u8], DecodeError<'gc>> {
        if self.left() < n {
            return Err(DecodeError::Eof);
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    /// Checks that `n` bytes follow the type byte without consuming anything.
    fn need<'gc>(&self, n: usize) -> Result<(), DecodeError<'gc>> {
        if self.left() < n {
            Err(DecodeError::Eof)
        } else {
            Ok(())
        }
    }

    /// A big-endian unsigned number of `n` bytes after the type byte (which is consumed too).
    fn uint<'gc>(&mut self, n: usize) -> Result<u64, DecodeError<'gc>> {
        self.need(1 + n)?;
        let bytes = self.take(1 + n)?;
        Ok(bytes[1..]
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// A string of a length stored in `n` bytes after the type byte.
    fn string<'gc>(&mut self, n: usize) -> Result<&'a [u8], DecodeError<'gc>> {
        let len = self.uint(n)? as usize;
        self.take(len)
    }
}

/// What one type byte starts.
enum Item<'gc> {
    Value(Value<'gc>),
    Array(usize),
    Map(usize),
}

/// `lua_checkstack(L, 1)` with `used` slots taken, as `luaL_checkstack` reports it.
fn check_stack<'gc>(used: usize, what: &str) -> Result<(), DecodeError<'gc>> {
    if used + 1 > MAX_C_STACK {
        return Err(DecodeError::Raised(NativeError::runtime(format!(
            "stack overflow ({what})"
        ))));
    }
    Ok(())
}

const TOO_MANY: &str = "too many return values at once; use unpack_one or unpack_limit instead.";

/// Reads one type byte and what immediately follows it.
fn read_item<'gc>(
    ctx: Ctx<'gc>,
    c: &mut Cursor<'_>,
    used: usize,
) -> Result<Item<'gc>, DecodeError<'gc>> {
    c.need(1)?;
    check_stack(used, TOO_MANY)?;
    let tag = c.data[c.pos];
    let int = |v: i64| Ok(Item::Value(Value::Number(v as f64)));
    match tag {
        0xcc => int(c.uint(1)? as i64),
        0xcd => int(c.uint(2)? as i64),
        0xce => int(c.uint(4)? as i64),
        0xcf => int(c.uint(8)? as i64),
        0xd0 => int(i64::from(c.uint(1)? as u8 as i8)),
        0xd1 => int(i64::from(c.uint(2)? as u16 as i16)),
        0xd2 => int(i64::from(c.uint(4)? as u32 as i32)),
        0xd3 => int(c.uint(8)? as i64),
        0xc0 | 0xc2 | 0xc3 => {
            c.pos += 1;
            Ok(Item::Value(match tag {
                0xc0 => Value::Nil,
                b => Value::Boolean(b == 0xc3),
            }))
        }
        0xca => {
            let bits = c.uint(4)? as u32;
            Ok(Item::Value(Value::Number(f64::from(f32::from_bits(bits)))))
        }
        0xcb => Ok(Item::Value(Value::Number(f64::from_bits(c.uint(8)?)))),
        0xd9 => Ok(Item::Value(ctx.str(c.string(1)?))),
        0xda => Ok(Item::Value(ctx.str(c.string(2)?))),
        0xdb => Ok(Item::Value(ctx.str(c.string(4)?))),
        0xdc => Ok(Item::Array(c.uint(2)? as usize)),
        0xdd => Ok(Item::Array(c.uint(4)? as usize)),
        0xde => Ok(Item::Map(c.uint(2)? as usize)),
        0xdf => Ok(Item::Map(c.uint(4)? as usize)),
        _ if tag & 0x80 == 0 => {
            c.pos += 1;
            int(i64::from(tag))
        }
        _ if tag & 0xe0 == 0xe0 => {
            c.pos += 1;
            int(i64::from(tag as i8))
        }
        _ if tag & 0xe0 == 0xa0 => {
            let len = usize::from(tag & 0x1f);
            c.need(1 + len)?;
            Ok(Item::Value(ctx.str(&c.take(1 + len)?[1..])))
        }
        _ if tag & 0xf0 == 0x90 => {
            c.pos += 1;
            Ok(Item::Array(usize::from(tag & 0xf)))
        }
        _ if tag & 0xf0 == 0x80 => {
            c.pos += 1;
            Ok(Item::Map(usize::from(tag & 0xf)))
        }
        _ => Err(DecodeError::BadFormat),
    }
}

/// An array or map being filled.
enum Open<'gc> {
    Array {
        table: Table<'gc>,
        index: i64,
        remaining: usize,
    },
    Map {
        table: Table<'gc>,
        key: Option<Value<'gc>>,
        remaining: usize,
    },
}

/// Decodes one top-level value with `used` Lua stack slots already taken
/// (`mp_decode_to_lua_type`).
fn decode_one<'gc>(
    ctx: Ctx<'gc>,
    c: &mut Cursor<'_>,
    mut used: usize,
) -> Result<Value<'gc>, DecodeError<'gc>> {
    let mut open: Vec<Open<'gc>> = Vec::new();
    loop {
        let mut value = match read_item(ctx, c, used)? {
            Item::Value(v) => v,
            Item::Array(len) => {
                let table = Table::new(ctx.mc);
                check_stack(used + 1, "in function mp_decode_to_lua_array")?;
                if len == 0 {
                    Value::Table(table)
                } else {
                    open.push(Open::Array {
                        table,
                        index: 1,
                        remaining: len,
                    });
                    used += 2;
                    continue;
                }
            }
            Item::Map(len) => {
                let table = Table::new(ctx.mc);
                if len == 0 {
                    Value::Table(table)
                } else {
                    open.push(Open::Map {
                        table,
                        key: None,
                        remaining: len,
                    });
                    used += 1;
                    continue;
                }
            }
        };
        loop {
            match open.last_mut() {
                None => return Ok(value),
                Some(Open::Array {
                    table,
                    index,
                    remaining,
                }) => {
                    table.set_int(ctx.mc, *index, value);
                    *index += 1;
                    *remaining -= 1;
                    if *remaining > 0 {
                        break;
                    }
                    value = Value::Table(*table);
                    used -= 2;
                }
                Some(Open::Map {
                    table,
                    key,
                    remaining,
                }) => {
                    let Some(k) = key.take() else {
                        *key = Some(value);
                        used += 1;
                        break;
                    };
                    if let Err(e) = table.set(ctx.mc, k, value) {
                        return Err(DecodeError::Raised(NativeError::Located {
                            message: e.message().into(),
                            level: 0,
                        }));
                    }
                    used -= 1;
                    *remaining -= 1;
                    if *remaining > 0 {
                        break;
                    }
                    value = Value::Table(*table);
                    used -= 1;
                }
            }
            open.pop();
        }
    }
}

/// `mp_unpack_full`: decodes up to `limit` values from `offset` (both 0: everything, with no
/// offset returned); otherwise the next offset (-1 at the end) comes first.
fn unpack_full<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    limit: i64,
    offset: i64,
) -> NativeResult<'gc> {
    let data = check_string(ctx, stack, 0)?.as_bytes();
    let len = data.len();
    if offset < 0 || limit < 0 {
        return Err(NativeError::runtime(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        )));
    }
    if offset as u64 > len as u64 {
        return Err(NativeError::runtime(format!(
            "Start offset {} greater than input length {}.",
            offset as i32, len as i32
        )));
    }
    let decode_all = limit == 0 && offset == 0;
    let limit = if decode_all {
        i64::from(i32::MAX)
    } else {
        limit
    };
    let mut c = Cursor {
        data,
        pos: offset as usize,
    };
    let mut results = Vec::new();
    while c.left() > 0 && (results.len() as i64) < limit {
        match decode_one(ctx, &mut c, 1 + results.len()) {
            Ok(v) => results.push(v),
            Err(DecodeError::Eof) => return Err(NativeError::runtime("Missing bytes in input.")),
            Err(DecodeError::BadFormat) => {
                return Err(NativeError::runtime("Bad data format in input."))
            }
            Err(DecodeError::Raised(e)) => return Err(e),
        }
    }
    if !decode_all {
        let next = if c.left() == 0 { -1.0 } else { c.pos as f64 };
        results.insert(0, Value::Number(next));
    }
    stack.replace(&results);
    Ok(Action::Return)
}

/// `cmsgpack.unpack(s)`: every value in `s`.
fn unpack<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    unpack_full(ctx, stack, 0, 0)
}

/// `cmsgpack.unpack_one(s [, offset])`: next offset and one value.
fn unpack_one<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let offset = opt_integer(stack, 1, 0)?;
    stack.resize(stack.len().min(1));
    unpack_full(ctx, stack, 1, offset)
}

/// `cmsgpack.unpack_limit(s, limit [, offset])`: next offset and up to `limit` values.
fn unpack_limit<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let limit = check_integer(stack, 1)?;
    let offset = opt_integer(stack, 2, 0)?;
    stack.resize(stack.len().min(1));
    unpack_full(ctx, stack, limit, offset)
}
