//! `bit`: LuaBitOp 1.0.2 as Redis embeds it — 32-bit operations whose results are signed.
//!
//! Key design decision: numbers are normalised exactly as LuaBitOp's `barg` does it, by adding
//! 2^52 + 2^51 to the double and keeping the low 32 bits of its representation, so rounding of
//! fractions (to nearest, ties to even) and wrapping of large values (modulo 2^32, precision lost
//! beyond 2^51 included) match the C library bit for bit.

use crate::callback::{Action, NativeResult, Stack};
use crate::stdlib::args::check_number;
use crate::table::Table;
use crate::value::Value;
use crate::vm::Ctx;

/// The `bit` table.
pub fn module(ctx: Ctx<'_>) -> Table<'_> {
    let t = Table::new(ctx.mc);
    crate::stdlib::register(
        ctx,
        t,
        &[
            ("tobit", tobit),
            ("bnot", bnot),
            ("band", band),
            ("bor", bor),
            ("bxor", bxor),
            ("lshift", lshift),
            ("rshift", rshift),
            ("arshift", arshift),
            ("rol", rol),
            ("ror", ror),
            ("bswap", bswap),
            ("tohex", tohex),
        ],
    );
    t
}

/// `barg`: argument `i` (0-based) normalised to 32 bits.
fn barg<'gc>(stack: &Stack<'gc, '_>, i: usize) -> Result<u32, crate::callback::NativeError<'gc>> {
    let n = check_number(stack, i)?;
    Ok(normalise(n))
}

/// LuaBitOp's conversion: the low word of `n + 2^52 + 2^51`.
pub fn normalise(n: f64) -> u32 {
    (n + 6_755_399_441_055_744.0).to_bits() as u32
}

/// Returns `b` as a signed 32-bit number (`BRET`).
fn ret<'gc>(stack: &mut Stack<'gc, '_>, b: u32) -> NativeResult<'gc> {
    stack.replace(&[Value::Number(f64::from(b as i32))]);
    Ok(Action::Return)
}

fn tobit<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let b = barg(stack, 0)?;
    ret(stack, b)
}

fn bnot<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let b = barg(stack, 0)?;
    ret(stack, !b)
}

/// The variadic operations: the first argument, then the others from the last down to the
/// second (C's loop order, which decides which bad argument is reported).
fn fold<'gc>(stack: &mut Stack<'gc, '_>, op: fn(u32, u32) -> u32) -> NativeResult<'gc> {
    let mut b = barg(stack, 0)?;
    for i in (1..stack.len()).rev() {
        b = op(b, barg(stack, i)?);
    }
    ret(stack, b)
}

fn band<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    fold(stack, |a, b| a & b)
}

fn bor<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    fold(stack, |a, b| a | b)
}

fn bxor<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    fold(stack, |a, b| a ^ b)
}

/// The shifts and rotations: value and count (count taken modulo 32).
fn shift<'gc>(stack: &mut Stack<'gc, '_>, op: fn(u32, u32) -> u32) -> NativeResult<'gc> {
    let b = barg(stack, 0)?;
    let n = barg(stack, 1)? & 31;
    ret(stack, op(b, n))
}

fn lshift<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    shift(stack, |b, n| b << n)
}

fn rshift<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    shift(stack, |b, n| b >> n)
}

fn arshift<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    shift(stack, |b, n| ((b as i32) >> n) as u32)
}

fn rol<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    shift(stack, u32::rotate_left)
}

fn ror<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    shift(stack, u32::rotate_right)
}

fn bswap<'gc>(_: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let b = barg(stack, 0)?;
    ret(stack, b.swap_bytes())
}

/// `tohex(x [, n])`: `n` digits (default 8, at most 8), upper case when `n` is negative.
fn tohex<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let mut b = barg(stack, 0)?;
    let n = if stack.has(1) {
        barg(stack, 1)? as i32
    } else {
        8
    };
    let digits: &[u8; 16] = if n < 0 {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let count = (n.unsigned_abs() as usize).min(8);
    let mut buf = vec![0u8; count];
    for slot in buf.iter_mut().rev() {
        *slot = digits[(b & 15) as usize];
        b >>= 4;
    }
    stack.replace(&[ctx.str(&buf)]);
    Ok(Action::Return)
}
