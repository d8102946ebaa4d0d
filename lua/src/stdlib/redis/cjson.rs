//! `cjson`: lua-cjson 2.1.0 as Redis 7.0 embeds it — `encode`, `decode`, their configuration
//! functions, `new` and `null`.
//!
//! Key design decision: the C encoder and decoder are recursive; here both are loops over an
//! explicit stack of open arrays and objects, so nesting never grows Rust's stack. Each open
//! container remembers how many Lua stack slots the C code would be holding at that point, which
//! reproduces where C's `lua_checkstack` gives up (e.g. `excessive nesting (4000)` for objects
//! with a huge `encode_max_depth`). The configuration lives in a userdata shared as an upvalue by
//! the functions of one module table (`cjson.new` makes another), and `cjson.null` — a NULL light
//! userdata in C — is one full userdata shared by every module table, compared by identity.

use std::cell::RefCell;

use crate::callback::{Action, NativeError, NativeResult, Stack};
use crate::function::NativeClosure;
use crate::stdlib::args::{check_integer, check_option, check_string};
use crate::string::LuaString;
use crate::table::Table;
use crate::text::number::strtod_prefix;
use crate::text::printf::{c_int, format_float, Spec};
use crate::userdata::UserData;
use crate::value::Value;
use crate::vm::Ctx;

use super::MAX_C_STACK;

/// The settings of one module table (`json_config_t`).
#[derive(Clone, Copy)]
struct Config {
    encode_sparse_convert: i32,
    encode_sparse_ratio: i32,
    encode_sparse_safe: i32,
    encode_max_depth: i32,
    decode_max_depth: i32,
    /// 0 refuse, 1 allow, 2 encode as `null`.
    encode_invalid_numbers: i32,
    decode_invalid_numbers: i32,
    encode_keep_buffer: i32,
    encode_number_precision: i32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            encode_sparse_convert: 0,
            encode_sparse_ratio: 2,
            encode_sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            encode_invalid_numbers: 0,
            decode_invalid_numbers: 1,
            encode_keep_buffer: 1,
            encode_number_precision: 14,
        }
    }
}

/// The `cjson` table, with a fresh configuration and a new `cjson.null`.
pub fn module(ctx: Ctx<'_>) -> Table<'_> {
    let null = UserData::new(ctx.mc, Box::new(()));
    new_module(ctx, null)
}

/// `lua_cjson_new`: a module table with its own configuration, sharing `null`.
fn new_module<'gc>(ctx: Ctx<'gc>, null: UserData<'gc>) -> Table<'gc> {
    let config = UserData::new(ctx.mc, Box::new(RefCell::new(Config::default())));
    let upvalues = vec![Value::UserData(config), Value::UserData(null)];
    let t = super::table_with(
        ctx,
        &[
            ("null", Value::UserData(null)),
            ("_NAME", ctx.str("cjson")),
            ("_VERSION", ctx.str("2.1.0")),
        ],
    );
    let functions: [(&'static str, crate::callback::NativeFn); 10] = [
        ("encode", encode),
        ("decode", decode),
        ("encode_sparse_array", encode_sparse_array),
        ("encode_max_depth", encode_max_depth),
        ("decode_max_depth", decode_max_depth),
        ("encode_number_precision", encode_number_precision),
        ("encode_keep_buffer", encode_keep_buffer),
        ("encode_invalid_numbers", encode_invalid_numbers),
        ("decode_invalid_numbers", decode_invalid_numbers),
        ("new", new),
    ];
    for (name, func) in functions {
        let f = NativeClosure::function(ctx.mc, name, func, upvalues.clone());
        let _ = t.set(ctx.mc, ctx.str(name), f);
    }
    t
}

/// The null sentinel from the upvalues.
fn null_of<'gc>(stack: &Stack<'gc, '_>) -> UserData<'gc> {
    match stack.upvalues().get(1) {
        Some(Value::UserData(u)) => *u,
        _ => unreachable!("cjson functions hold cjson.null"),
    }
}

/// Runs `f` on the configuration from the upvalues.
fn with_config<R>(stack: &Stack<'_, '_>, f: impl FnOnce(&mut Config) -> R) -> R {
    let Some(Value::UserData(u)) = stack.upvalues().first() else {
        unreachable!("cjson functions hold their configuration");
    };
    let payload = u.0.payload.borrow();
    let Some(cell) = payload.downcast_ref::<RefCell<Config>>() else {
        unreachable!("cjson configuration payload");
    };
    let mut config = cell.borrow_mut();
    f(&mut config)
}

fn new<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = new_module(ctx, null_of(stack));
    stack.replace(&[Value::Table(t)]);
    Ok(Action::Return)
}

// ----- Configuration -----

/// `json_arg_init`: at most `args` arguments.
fn arg_init<'gc>(stack: &Stack<'gc, '_>, args: usize) -> Result<(), NativeError<'gc>> {
    if stack.len() > args {
        return Err(NativeError::bad_argument(
            args + 1,
            "found too many arguments",
        ));
    }
    Ok(())
}

/// `json_integer_option`: sets an integer from argument `i` if given (C `int` truncation; the
/// range error names argument #1 whatever `i` is, as in C) and returns the current value.
fn integer_option<'gc>(
    stack: &Stack<'gc, '_>,
    i: usize,
    setting: &mut i32,
    min: i32,
    max: i32,
) -> Result<Value<'gc>, NativeError<'gc>> {
    if !stack.get(i).is_nil() {
        let value = check_integer(stack, i)? as i32;
        if !(min..=max).contains(&value) {
            return Err(NativeError::bad_argument(
                1,
                format!("expected integer between {min} and {max}"),
            ));
        }
        *setting = value;
    }
    Ok(Value::Number(f64::from(*setting)))
}

/// `json_enum_option` with `bool_true = 1`: a boolean or one of `options` from argument `i`.
fn enum_option<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    i: usize,
    setting: &mut i32,
    options: &[&str],
) -> Result<Value<'gc>, NativeError<'gc>> {
    match stack.get(i) {
        Value::Nil => {}
        Value::Boolean(b) => *setting = i32::from(b),
        _ => *setting = check_option(ctx, stack, i, None, options)? as i32,
    }
    Ok(if *setting == 0 || *setting == 1 {
        Value::Boolean(*setting == 1)
    } else {
        ctx.str(options[*setting as usize])
    })
}

const ON_OFF: &[&str] = &["off", "on"];

fn encode_sparse_array<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    arg_init(stack, 3)?;
    let results = with_config(stack, |c| -> Result<_, NativeError<'gc>> {
        Ok([
            enum_option(ctx, stack, 0, &mut c.encode_sparse_convert, ON_OFF)?,
            integer_option(stack, 1, &mut c.encode_sparse_ratio, 0, i32::MAX)?,
            integer_option(stack, 2, &mut c.encode_sparse_safe, 0, i32::MAX)?,
        ])
    })?;
    stack.replace(&results);
    Ok(Action::Return)
}

/// A configuration function of one integer argument.
fn integer_setting<'gc>(
    stack: &mut Stack<'gc, '_>,
    field: fn(&mut Config) -> &mut i32,
    max: i32,
) -> NativeResult<'gc> {
    arg_init(stack, 1)?;
    let v = with_config(stack, |c| integer_option(stack, 0, field(c), 1, max))?;
    stack.replace(&[v]);
    Ok(Action::Return)
}

/// A configuration function of one enumerated argument.
fn enum_setting<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    field: fn(&mut Config) -> &mut i32,
    options: &[&str],
) -> NativeResult<'gc> {
    arg_init(stack, 1)?;
    let v = with_config(stack, |c| enum_option(ctx, stack, 0, field(c), options))?;
    stack.replace(&[v]);
    Ok(Action::Return)
}

fn encode_max_depth<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    integer_setting(stack, |c| &mut c.encode_max_depth, i32::MAX)
}

fn decode_max_depth<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    integer_setting(stack, |c| &mut c.decode_max_depth, i32::MAX)
}

fn encode_number_precision<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    integer_setting(stack, |c| &mut c.encode_number_precision, 14)
}

fn encode_keep_buffer<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    enum_setting(ctx, stack, |c| &mut c.encode_keep_buffer, ON_OFF)
}

fn encode_invalid_numbers<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    enum_setting(
        ctx,
        stack,
        |c| &mut c.encode_invalid_numbers,
        &["off", "on", "null"],
    )
}

fn decode_invalid_numbers<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    enum_setting(ctx, stack, |c| &mut c.decode_invalid_numbers, ON_OFF)
}

// ----- Encoding -----

/// `char2escape`: the JSON escape of byte `c`, if it needs one.
fn escape(c: u8) -> Option<&'static [u8]> {
    const CONTROL: [&[u8]; 32] = [
        b"\\u0000", b"\\u0001", b"\\u0002", b"\\u0003", b"\\u0004", b"\\u0005", b"\\u0006",
        b"\\u0007", b"\\b", b"\\t", b"\\n", b"\\u000b", b"\\f", b"\\r", b"\\u000e", b"\\u000f",
        b"\\u0010", b"\\u0011", b"\\u0012", b"\\u0013", b"\\u0014", b"\\u0015", b"\\u0016",
        b"\\u0017", b"\\u0018", b"\\u0019", b"\\u001a", b"\\u001b", b"\\u001c", b"\\u001d",
        b"\\u001e", b"\\u001f",
    ];
    match c {
        0..=31 => Some(CONTROL[c as usize]),
        b'"' => Some(b"\\\""),
        b'/' => Some(b"\\/"),
        b'\\' => Some(b"\\\\"),
        127 => Some(b"\\u007f"),
        _ => None,
    }
}

fn append_string(out: &mut Vec<u8>, s: &[u8]) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    for &c in s {
        match escape(c) {
            Some(e) => out.extend_from_slice(e),
            None => out.push(c),
        }
    }
    out.push(b'"');
}

/// An array or object being written, with the Lua stack slots C holds while it is on top.
enum Open<'gc> {
    Array {
        table: Table<'gc>,
        len: i64,
        next: i64,
        used: usize,
    },
    Object {
        table: Table<'gc>,
        key: Value<'gc>,
        first: bool,
        used: usize,
    },
}

struct Encoder<'gc> {
    config: Config,
    null: UserData<'gc>,
    out: Vec<u8>,
    open: Vec<Open<'gc>>,
}

/// `json_encode_exception`: `Cannot serialise <type>: <reason>`.
fn serialise_error<'gc>(v: Value<'gc>, reason: &str) -> NativeError<'gc> {
    NativeError::runtime(format!("Cannot serialise {}: {reason}", v.type_name()))
}

impl<'gc> Encoder<'gc> {
    /// `json_append_number`.
    fn number(&mut self, n: f64) -> Result<(), NativeError<'gc>> {
        match self.config.encode_invalid_numbers {
            0 if !n.is_finite() => {
                return Err(serialise_error(Value::Number(n), "must not be NaN or Inf"))
            }
            1 if n.is_nan() => {
                self.out.extend_from_slice(b"nan");
                return Ok(());
            }
            2 if !n.is_finite() => {
                self.out.extend_from_slice(b"null");
                return Ok(());
            }
            _ => {}
        }
        let spec = Spec {
            minus: false,
            plus: false,
            space: false,
            alt: false,
            zero: false,
            width: 0,
            precision: Some(self.config.encode_number_precision as usize),
            conv: b'g',
        };
        format_float(&spec, n, &mut self.out);
        Ok(())
    }

    /// `json_append_data`: writes a scalar, or opens a table (`used` = slots C holds with `v` on
    /// top).
    fn value(&mut self, v: Value<'gc>, used: usize) -> Result<(), NativeError<'gc>> {
        match v {
            Value::String(s) => append_string(&mut self.out, s.as_bytes()),
            Value::Number(n) => self.number(n)?,
            Value::Boolean(b) => self
                .out
                .extend_from_slice(if b { b"true" } else { b"false" }),
            Value::Nil => self.out.extend_from_slice(b"null"),
            Value::UserData(u) if u == self.null => self.out.extend_from_slice(b"null"),
            Value::Table(t) => self.open_table(t, used)?,
            other => return Err(serialise_error(other, "type not supported")),
        }
        Ok(())
    }

    fn open_table(&mut self, table: Table<'gc>, used: usize) -> Result<(), NativeError<'gc>> {
        let depth = self.open.len() + 1;
        if depth > self.config.encode_max_depth as usize || used + 3 > MAX_C_STACK {
            return Err(NativeError::runtime(format!(
                "Cannot serialise, excessive nesting ({depth})"
            )));
        }
        let len = self.array_length(table)?;
        if len > 0 {
            self.out.push(b'[');
            self.open.push(Open::Array {
                table,
                len,
                next: 1,
                used,
            });
        } else {
            self.out.push(b'{');
            self.open.push(Open::Object {
                table,
                key: Value::Nil,
                first: true,
                used,
            });
        }
        Ok(())
    }

    /// `lua_array_length`: the largest key if every key is a positive integral number (as a C
    /// `int`) and the array is not excessively sparse; otherwise -1 (an object).
    fn array_length(&self, t: Table<'gc>) -> Result<i64, NativeError<'gc>> {
        let mut max: i32 = 0;
        let mut items: i32 = 0;
        let mut key = Value::Nil;
        while let Ok(Some((k, _))) = t.next(key) {
            match k {
                Value::Number(n) if n != 0.0 && n.floor() == n && n >= 1.0 => {
                    if n > f64::from(max) {
                        max = c_int(n);
                    }
                    items = items.wrapping_add(1);
                }
                _ => return Ok(-1),
            }
            key = k;
        }
        let c = &self.config;
        if c.encode_sparse_ratio > 0
            && max > items.wrapping_mul(c.encode_sparse_ratio)
            && max > c.encode_sparse_safe
        {
            if c.encode_sparse_convert == 0 {
                return Err(serialise_error(Value::Table(t), "excessively sparse array"));
            }
            return Ok(-1);
        }
        Ok(i64::from(max))
    }

    /// Writes the next element of the innermost open container, or closes it.
    fn step(&mut self) -> Result<(), NativeError<'gc>> {
        let Some(top) = self.open.last_mut() else {
            return Ok(());
        };
        match top {
            Open::Array {
                table,
                len,
                next,
                used,
            } => {
                if *next > *len {
                    self.out.push(b']');
                    self.open.pop();
                    return Ok(());
                }
                if *next > 1 {
                    self.out.push(b',');
                }
                let v = table.get_int(*next);
                *next += 1;
                let used = *used + 1;
                self.value(v, used)
            }
            Open::Object {
                table,
                key,
                first,
                used,
            } => {
                let Ok(Some((k, v))) = table.next(*key) else {
                    self.out.push(b'}');
                    self.open.pop();
                    return Ok(());
                };
                if !*first {
                    self.out.push(b',');
                }
                *first = false;
                *key = k;
                let used = *used + 2;
                match k {
                    Value::Number(n) => {
                        self.out.push(b'"');
                        self.number(n)?;
                        self.out.extend_from_slice(b"\":");
                    }
                    Value::String(s) => {
                        append_string(&mut self.out, s.as_bytes());
                        self.out.push(b':');
                    }
                    other => {
                        return Err(serialise_error(
                            other,
                            "table key must be a number or string",
                        ))
                    }
                }
                self.value(v, used)
            }
        }
    }
}

/// `cjson.encode(value)`.
fn encode<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.len() != 1 {
        return Err(NativeError::bad_argument(1, "expected 1 argument"));
    }
    let mut encoder = Encoder {
        config: with_config(stack, |c| *c),
        null: null_of(stack),
        out: Vec::new(),
        open: Vec::new(),
    };
    encoder.value(stack.get(0), 1)?;
    while !encoder.open.is_empty() {
        encoder.step()?;
    }
    stack.replace(&[ctx.str(&encoder.out)]);
    Ok(Action::Return)
}

// ----- Decoding -----

/// A token (`json_token_t`).
enum Token<'gc> {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    String(LuaString<'gc>),
    Number(f64),
    Boolean(bool),
    Null,
    Colon,
    Comma,
    End,
    /// A lexical error, with its description.
    Error(&'static str),
}

impl Token<'_> {
    /// How parse errors name the token (`json_token_type_name`, or the error text).
    fn name(&self) -> &'static str {
        match self {
            Token::ObjBegin => "T_OBJ_BEGIN",
            Token::ObjEnd => "T_OBJ_END",
            Token::ArrBegin => "T_ARR_BEGIN",
            Token::ArrEnd => "T_ARR_END",
            Token::String(_) => "T_STRING",
            Token::Number(_) => "T_NUMBER",
            Token::Boolean(_) => "T_BOOLEAN",
            Token::Null => "T_NULL",
            Token::Colon => "T_COLON",
            Token::Comma => "T_COMMA",
            Token::End => "T_END",
            Token::Error(what) => what,
        }
    }
}

/// The value of hex digit `c`.
fn hex_digit(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// `codepoint_to_utf8` for code points up to 0x10FFFF (surrogates included, as C encodes them).
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    if cp <= 0x7F {
        out.push(cp as u8);
    } else if cp <= 0x7FF {
        out.extend_from_slice(&[(cp >> 6) as u8 | 0xC0, (cp & 0x3F) as u8 | 0x80]);
    } else if cp <= 0xFFFF {
        out.extend_from_slice(&[
            (cp >> 12) as u8 | 0xE0,
            ((cp >> 6) & 0x3F) as u8 | 0x80,
            (cp & 0x3F) as u8 | 0x80,
        ]);
    } else {
        out.extend_from_slice(&[
            (cp >> 18) as u8 | 0xF0,
            ((cp >> 12) & 0x3F) as u8 | 0x80,
            ((cp >> 6) & 0x3F) as u8 | 0x80,
            (cp & 0x3F) as u8 | 0x80,
        ]);
    }
}

/// A container being decoded, with the Lua stack slots C held when it was opened.
enum Frame<'gc> {
    Array {
        table: Table<'gc>,
        index: i64,
        used: usize,
    },
    Object {
        table: Table<'gc>,
        key: LuaString<'gc>,
        used: usize,
    },
}

impl Frame<'_> {
    /// Slots in use while one of its values is decoded (table, plus key for objects).
    fn child_used(&self) -> usize {
        match self {
            Frame::Array { used, .. } => used + 1,
            Frame::Object { used, .. } => used + 2,
        }
    }
}

struct Parser<'a, 'gc> {
    ctx: Ctx<'gc>,
    data: &'a [u8],
    ptr: usize,
    config: Config,
    null: UserData<'gc>,
    buf: Vec<u8>,
}

impl<'a, 'gc> Parser<'a, 'gc> {
    /// The byte at `i`, NUL past the end (the C string's terminator).
    fn at(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    fn starts_with(&self, word: &[u8]) -> bool {
        word.iter()
            .enumerate()
            .all(|(k, &c)| self.at(self.ptr + k) == c)
    }

    /// `json_next_token`: the token and its 0-based position.
    fn next_token(&mut self) -> (Token<'gc>, usize) {
        while matches!(self.at(self.ptr), b' ' | b'\t' | b'\n' | b'\r') {
            self.ptr += 1;
        }
        let start = self.ptr;
        let ch = self.at(self.ptr);
        let single = match ch {
            b'{' => Some(Token::ObjBegin),
            b'}' => Some(Token::ObjEnd),
            b'[' => Some(Token::ArrBegin),
            b']' => Some(Token::ArrEnd),
            b',' => Some(Token::Comma),
            b':' => Some(Token::Colon),
            _ => None,
        };
        if let Some(t) = single {
            self.ptr += 1;
            return (t, start);
        }
        match ch {
            0 => (Token::End, start),
            b'"' => self.string_token(),
            b'-' | b'0'..=b'9' => {
                if self.config.decode_invalid_numbers == 0 && self.is_invalid_number() {
                    return (Token::Error("invalid number"), self.ptr);
                }
                self.number_token()
            }
            b'f' | b'i' | b'I' | b'n' | b'N' | b't' | b'+' => {
                for (word, token) in [
                    (&b"true"[..], Token::Boolean(true)),
                    (b"false", Token::Boolean(false)),
                    (b"null", Token::Null),
                ] {
                    if self.starts_with(word) {
                        self.ptr += word.len();
                        return (token, start);
                    }
                }
                if self.config.decode_invalid_numbers != 0 && self.is_invalid_number() {
                    return self.number_token();
                }
                (Token::Error("invalid token"), self.ptr)
            }
            _ => (Token::Error("invalid token"), self.ptr),
        }
    }

    /// `json_is_invalid_number`: `+`, hex, leading zeros, `inf` and `nan` are not JSON.
    fn is_invalid_number(&self) -> bool {
        let mut p = self.ptr;
        if self.at(p) == b'+' {
            return true;
        }
        if self.at(p) == b'-' {
            p += 1;
        }
        if self.at(p) == b'0' {
            let ch2 = self.at(p + 1);
            return (ch2 | 0x20) == b'x' || ch2.is_ascii_digit();
        }
        if (self.at(p) as i8) <= b'9' as i8 {
            return false;
        }
        let word = [self.at(p), self.at(p + 1), self.at(p + 2)];
        word.eq_ignore_ascii_case(b"inf") || word.eq_ignore_ascii_case(b"nan")
    }

    /// `json_next_number_token`: `strtod` from here.
    fn number_token(&mut self) -> (Token<'gc>, usize) {
        let rest = &self.data[self.ptr.min(self.data.len())..];
        let rest = &rest[..rest.iter().position(|&c| c == 0).unwrap_or(rest.len())];
        match strtod_prefix(rest) {
            Some((n, used)) if used > 0 => {
                let start = self.ptr;
                self.ptr += used;
                (Token::Number(n), start)
            }
            _ => (Token::Error("invalid number"), self.ptr),
        }
    }

    /// `json_next_string_token`, at the opening quote.
    fn string_token(&mut self) -> (Token<'gc>, usize) {
        let start = self.ptr;
        self.ptr += 1;
        self.buf.clear();
        loop {
            let ch = self.at(self.ptr);
            match ch {
                b'"' => break,
                0 => return (Token::Error("unexpected end of string"), self.ptr),
                b'\\' => {
                    let translated = match self.at(self.ptr + 1) {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 8,
                        b't' => b'\t',
                        b'n' => b'\n',
                        b'f' => 12,
                        b'r' => b'\r',
                        b'u' => {
                            if self.unicode_escape() {
                                continue;
                            }
                            return (Token::Error("invalid unicode escape code"), self.ptr);
                        }
                        _ => return (Token::Error("invalid escape code"), self.ptr),
                    };
                    self.buf.push(translated);
                    self.ptr += 2;
                }
                _ => {
                    self.buf.push(ch);
                    self.ptr += 1;
                }
            }
        }
        self.ptr += 1;
        (Token::String(self.ctx.intern(&self.buf)), start)
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        (0..4).try_fold(0u32, |acc, k| {
            Some((acc << 4) | hex_digit(self.at(at + k))?)
        })
    }

    /// `json_append_unicode_escape` at `\u`: appends the UTF-8 of the code point (joining a
    /// surrogate pair) and advances; `false` for an invalid escape.
    fn unicode_escape(&mut self) -> bool {
        let Some(mut cp) = self.hex4(self.ptr + 2) else {
            return false;
        };
        let mut len = 6;
        if cp & 0xF800 == 0xD800 {
            if cp & 0x400 != 0 || self.at(self.ptr + 6) != b'\\' || self.at(self.ptr + 7) != b'u' {
                return false;
            }
            let Some(low) = self.hex4(self.ptr + 8) else {
                return false;
            };
            if low & 0xFC00 != 0xDC00 {
                return false;
            }
            cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            len = 12;
        }
        push_utf8(&mut self.buf, cp);
        self.ptr += len;
        true
    }

    /// `json_throw_parse_error`.
    fn parse_error(&self, expected: &str, token: &(Token<'gc>, usize)) -> NativeError<'gc> {
        NativeError::runtime(format!(
            "Expected {expected} but found {} at character {}",
            token.0.name(),
            token.1 + 1
        ))
    }

    /// `json_decode_descend`: entering container number `depth` with `used` slots held, needing
    /// `slots` more.
    fn descend(&self, depth: usize, used: usize, slots: usize) -> Result<(), NativeError<'gc>> {
        if depth > self.config.decode_max_depth as usize || used + slots > MAX_C_STACK {
            return Err(NativeError::runtime(format!(
                "Found too many nested data structures ({depth}) at character {}",
                self.ptr
            )));
        }
        Ok(())
    }

    /// An object key followed by its colon.
    fn key(&mut self, token: (Token<'gc>, usize)) -> Result<LuaString<'gc>, NativeError<'gc>> {
        let Token::String(key) = token.0 else {
            return Err(self.parse_error("object key string", &token));
        };
        let colon = self.next_token();
        if !matches!(colon.0, Token::Colon) {
            return Err(self.parse_error("colon", &colon));
        }
        Ok(key)
    }

    /// The whole document (`json_process_value` and the two container contexts, as a loop).
    fn document(&mut self) -> Result<Value<'gc>, NativeError<'gc>> {
        let mut frames: Vec<Frame<'gc>> = Vec::new();
        let mut token = self.next_token();
        loop {
            let used = frames.last().map_or(1, Frame::child_used);
            let mut value = match token.0 {
                Token::String(s) => Value::String(s),
                Token::Number(n) => Value::Number(n),
                Token::Boolean(b) => Value::Boolean(b),
                Token::Null => Value::UserData(self.null),
                Token::ObjBegin => {
                    self.descend(frames.len() + 1, used, 3)?;
                    let table = Table::new(self.ctx.mc);
                    let next = self.next_token();
                    if matches!(next.0, Token::ObjEnd) {
                        Value::Table(table)
                    } else {
                        let key = self.key(next)?;
                        frames.push(Frame::Object { table, key, used });
                        token = self.next_token();
                        continue;
                    }
                }
                Token::ArrBegin => {
                    self.descend(frames.len() + 1, used, 2)?;
                    let table = Table::new(self.ctx.mc);
                    let next = self.next_token();
                    if matches!(next.0, Token::ArrEnd) {
                        Value::Table(table)
                    } else {
                        frames.push(Frame::Array {
                            table,
                            index: 1,
                            used,
                        });
                        token = next;
                        continue;
                    }
                }
                _ => return Err(self.parse_error("value", &token)),
            };
            loop {
                let next = self.next_token();
                match frames.last_mut() {
                    None => {
                        if !matches!(next.0, Token::End) {
                            return Err(self.parse_error("the end", &next));
                        }
                        return Ok(value);
                    }
                    Some(Frame::Array { table, index, .. }) => {
                        table.set_int(self.ctx.mc, *index, value);
                        *index += 1;
                        match next.0 {
                            Token::ArrEnd => value = Value::Table(*table),
                            Token::Comma => {
                                token = self.next_token();
                                break;
                            }
                            _ => return Err(self.parse_error("comma or array end", &next)),
                        }
                    }
                    Some(Frame::Object { table, key, .. }) => {
                        let _ = table.set(self.ctx.mc, Value::String(*key), value);
                        match next.0 {
                            Token::ObjEnd => value = Value::Table(*table),
                            Token::Comma => {
                                let first = self.next_token();
                                *key = self.key(first)?;
                                token = self.next_token();
                                break;
                            }
                            _ => return Err(self.parse_error("comma or object end", &next)),
                        }
                    }
                }
                frames.pop();
            }
        }
    }
}

/// `cjson.decode(text)`.
fn decode<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if stack.len() != 1 {
        return Err(NativeError::bad_argument(1, "expected 1 argument"));
    }
    let config = with_config(stack, |c| *c);
    let text = check_string(ctx, stack, 0)?;
    let data = text.as_bytes();
    if data.len() >= 2 && (data[0] == 0 || data[1] == 0) {
        return Err(NativeError::runtime(
            "JSON parser does not support UTF-16 or UTF-32",
        ));
    }
    let mut parser = Parser {
        ctx,
        data,
        ptr: 0,
        config,
        null: null_of(stack),
        buf: Vec::new(),
    };
    let value = parser.document()?;
    stack.replace(&[value]);
    Ok(Action::Return)
}
