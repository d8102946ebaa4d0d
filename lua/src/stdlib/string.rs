//! The `string` library (`lstrlib.c`): `byte char dump find format gmatch gsub len lower match rep
//! reverse sub upper` (plus 5.1's compatibility alias `gfind`), and the string metatable that makes
//! `s:upper()` work.
//!
//! Key design decision: the algorithms live in `crate::text` (`printf` for `format`, `pattern` for
//! the matching functions); this module only converts arguments with lauxlib's wording and turns
//! results into values. The two functions that run Lua code while they work — `gsub` with a
//! function (or `__index`ed table) replacement — keep their state in a userdata in the window and
//! continue after each call, so they never re-enter the VM.

mod format;
mod patterns;

use crate::callback::{Action, NativeError, NativeResult, Stack};
use crate::function::NativeClosure;
use crate::table::Table;
use crate::value::Value;
use crate::vm::Ctx;

use super::args::*;
use super::register;

/// Longest string `string.rep` builds; longer results fail with `not enough memory`.
const MAX_REP_BYTES: usize = i32::MAX as usize;

/// Installs the library and the string metatable.
pub fn open<'gc>(ctx: Ctx<'gc>) {
    let lib = Table::new(ctx.mc);
    register(
        ctx,
        lib,
        &[
            ("byte", byte),
            ("char", char),
            ("dump", dump),
            ("find", patterns::find),
            ("format", format::format),
            ("gsub", patterns::gsub),
            ("len", len),
            ("lower", lower),
            ("match", patterns::match_),
            ("rep", rep),
            ("reverse", reverse),
            ("sub", sub),
            ("upper", upper),
        ],
    );
    let gmatch = NativeClosure::new(ctx.mc, "gmatch", patterns::gmatch, Vec::new());
    let _ = lib.set(ctx.mc, ctx.str("gmatch"), gmatch);
    let _ = lib.set(ctx.mc, ctx.str("gfind"), gmatch);
    let _ = ctx
        .globals()
        .set(ctx.mc, ctx.str("string"), Value::Table(lib));
    let mt = Table::new(ctx.mc);
    let _ = mt.set(ctx.mc, ctx.str("__index"), Value::Table(lib));
    ctx.set_type_metatable(ctx.str(""), Some(mt));
}

/// 5.1's `posrelat`: a negative position counts from the end (`-1` is the last byte); the result
/// is never negative.
fn relative_position(pos: i64, len: usize) -> i64 {
    let pos = if pos < 0 {
        pos.saturating_add(len as i64 + 1)
    } else {
        pos
    };
    pos.max(0)
}

/// Replaces the window with one string.
fn return_bytes<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>, bytes: &[u8]) -> NativeResult<'gc> {
    stack.replace(&[ctx.str(bytes)]);
    Ok(Action::Return)
}

fn len<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?;
    stack.replace(&[Value::Number(s.len() as f64)]);
    Ok(Action::Return)
}

fn sub<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?.as_bytes();
    let start = relative_position(check_integer(stack, 1)?, s.len()).max(1);
    let end = relative_position(opt_integer(stack, 2, -1)?, s.len()).min(s.len() as i64);
    let slice = if start <= end {
        &s[start as usize - 1..end as usize]
    } else {
        &[]
    };
    return_bytes(ctx, stack, slice)
}

fn reverse<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?;
    let reversed: Vec<u8> = s.as_bytes().iter().rev().copied().collect();
    return_bytes(ctx, stack, &reversed)
}

fn lower<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?;
    return_bytes(ctx, stack, &s.as_bytes().to_ascii_lowercase())
}

fn upper<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?;
    return_bytes(ctx, stack, &s.as_bytes().to_ascii_uppercase())
}

fn rep<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?.as_bytes();
    let n = check_integer(stack, 1)?;
    if n <= 0 || s.is_empty() {
        return return_bytes(ctx, stack, b"");
    }
    let total = s
        .len()
        .checked_mul(n as usize)
        .filter(|&t| t <= MAX_REP_BYTES);
    let mut out = Vec::new();
    if total.is_none_or(|t| out.try_reserve_exact(t).is_err()) {
        return Err(NativeError::Located {
            message: b"not enough memory".to_vec(),
            level: 0,
        });
    }
    for _ in 0..n {
        out.extend_from_slice(s);
    }
    return_bytes(ctx, stack, &out)
}

fn byte<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let s = check_string(ctx, stack, 0)?.as_bytes();
    let first = relative_position(opt_integer(stack, 1, 1)?, s.len());
    let last = relative_position(opt_integer(stack, 2, first)?, s.len()).min(s.len() as i64);
    let first = first.max(1);
    if first > last {
        stack.clear();
        return Ok(Action::Return);
    }
    let n = (last - first + 1) as usize;
    if n + stack.len() > crate::vm::call::MAX_NATIVE_RESULTS {
        return Err(NativeError::runtime(
            "stack overflow (string slice too long)",
        ));
    }
    let bytes = &s[first as usize - 1..last as usize];
    stack.clear();
    for &b in bytes {
        stack.push(Value::Number(f64::from(b)));
    }
    Ok(Action::Return)
}

fn char<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let mut out = Vec::with_capacity(stack.len());
    for i in 0..stack.len() {
        let c = check_integer(stack, i)? as i32;
        match u8::try_from(c) {
            Ok(b) => out.push(b),
            Err(_) => return Err(NativeError::bad_argument(i + 1, "invalid value")),
        }
    }
    return_bytes(ctx, stack, &out)
}

fn dump<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    match stack.get(0) {
        Value::LuaFunction(f) => {
            let bytes = crate::dump::dump(&f.proto.info);
            return_bytes(ctx, stack, &bytes)
        }
        Value::NativeFunction(_) => Err(NativeError::runtime("unable to dump given function")),
        _ => Err(NativeError::type_error(
            1,
            "function",
            stack.type_name_of(0),
        )),
    }
}
