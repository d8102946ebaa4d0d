//! `struct`: Roberto Ierusalimschy's struct library 0.2 as Redis embeds it — `pack`, `unpack`
//! and `size` over a format language (`>` `<` `!n` `x` `b B h H l L T i In I In cn s f d`).
//!
//! Key design decision: the C sizes and conversions of x86-64 Linux are spelled out (`long` and
//! `size_t` are 8 bytes, the maximal alignment is 8, native order is little endian, doubles
//! convert to integers with the C casts' wrap-around). This is the version with Redis's security
//! fixes: counts that overflow an `int`, offsets below 1 and out-of-range positions are errors.

use crate::callback::{Action, NativeError, NativeResult, Stack};
use crate::stdlib::args::{check_number, check_string, opt_integer};
use crate::table::Table;
use crate::value::Value;
use crate::vm::ops;
use crate::vm::Ctx;

/// Largest integral size (`MAXINTSIZE`).
const MAX_INT_SIZE: usize = 32;
/// `MAXALIGN` on x86-64.
const MAX_ALIGN: usize = 8;

/// The `struct` table.
pub fn module(ctx: Ctx<'_>) -> Table<'_> {
    let t = Table::new(ctx.mc);
    crate::stdlib::register(
        ctx,
        t,
        &[("pack", pack), ("unpack", unpack), ("size", size)],
    );
    t
}

/// Byte order and alignment (`Header`).
struct Header {
    little: bool,
    align: usize,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            little: true,
            align: 1,
        }
    }
}

/// A cursor over the format string, which ends at its first NUL as in C.
struct Format<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Format<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let end = bytes.iter().position(|&c| c == 0).unwrap_or(bytes.len());
        Format {
            bytes: &bytes[..end],
            pos: 0,
        }
    }

    fn next_option(&mut self) -> Option<u8> {
        let c = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(c)
    }

    /// `getnum`: digits at the cursor, or `default`.
    fn number<'gc>(&mut self, default: usize) -> Result<usize, NativeError<'gc>> {
        if !self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            return Ok(default);
        }
        let mut a: i32 = 0;
        while let Some(&c) = self.bytes.get(self.pos).filter(|c| c.is_ascii_digit()) {
            let d = i32::from(c - b'0');
            if a > i32::MAX / 10 || a * 10 > i32::MAX - d {
                return Err(NativeError::runtime("integral size overflow"));
            }
            a = a * 10 + d;
            self.pos += 1;
        }
        Ok(a as usize)
    }

    /// `optsize`: the size of option `opt`, reading its count.
    fn size<'gc>(&mut self, opt: u8) -> Result<usize, NativeError<'gc>> {
        Ok(match opt {
            b'B' | b'b' | b'x' => 1,
            b'H' | b'h' => 2,
            b'L' | b'l' | b'T' | b'd' => 8,
            b'f' => 4,
            b'c' => self.number(1)?,
            b'i' | b'I' => {
                let sz = self.number(4)?;
                if sz > MAX_INT_SIZE {
                    return Err(NativeError::runtime(format!(
                        "integral size {sz} is larger than limit of {MAX_INT_SIZE}"
                    )));
                }
                sz
            }
            _ => 0,
        })
    }

    /// `controloptions`: endianness, alignment, spaces; anything else is invalid.
    fn control<'gc>(&mut self, opt: u8, h: &mut Header) -> Result<(), NativeError<'gc>> {
        match opt {
            b' ' => {}
            b'>' => h.little = false,
            b'<' => h.little = true,
            b'!' => {
                let a = self.number(MAX_ALIGN)?;
                if !a.is_power_of_two() {
                    return Err(NativeError::runtime(format!(
                        "alignment {a} is not a power of 2"
                    )));
                }
                h.align = a;
            }
            _ => {
                return Err(NativeError::bad_argument(
                    1,
                    format!("invalid format option '{}'", opt as char),
                ))
            }
        }
        Ok(())
    }
}

/// `gettoalign`: padding before an item of `size` bytes at offset `len`.
fn to_align(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align);
    size.wrapping_sub(len & size.wrapping_sub(1)) & size.wrapping_sub(1)
}

/// C's `(unsigned long)n` for `n >= 0` on x86-64: values from 2^63 go through the
/// subtract-and-flip sequence (2^64 and above give 0), the others (NaN included) through the
/// signed conversion (NaN gives 2^63).
fn double_to_u64(n: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if n >= TWO_63 {
        (double_to_i64(n - TWO_63) as u64) ^ (1 << 63)
    } else {
        double_to_i64(n) as u64
    }
}

/// C's `(long)n` on x86-64 (out of range and NaN give `LONG_MIN`).
fn double_to_i64(n: f64) -> i64 {
    crate::stdlib::args::number_to_integer(n)
}

fn put_integer(out: &mut Vec<u8>, n: f64, little: bool, size: usize) {
    let mut value = if n < 0.0 {
        double_to_i64(n) as u64
    } else {
        double_to_u64(n)
    };
    let mut buf = [0u8; MAX_INT_SIZE];
    for i in 0..size {
        let at = if little { i } else { size - 1 - i };
        buf[at] = value as u8;
        value = value.checked_shr(8).unwrap_or(0);
    }
    out.extend_from_slice(&buf[..size]);
}

fn put_bytes(out: &mut Vec<u8>, native: &[u8], little: bool) {
    if little {
        out.extend_from_slice(native);
    } else {
        out.extend(native.iter().rev());
    }
}

/// `struct.pack(fmt, ...)`.
fn pack<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let fmt_str = check_string(ctx, stack, 0)?;
    let mut fmt = Format::new(fmt_str.as_bytes());
    let mut h = Header::default();
    // C pushes a nil to separate the arguments from its buffer: a missing argument is that nil.
    stack.push(Value::Nil);
    let mut arg = 1;
    let mut total = 0usize;
    let mut out = Vec::new();
    while let Some(opt) = fmt.next_option() {
        let mut size = fmt.size(opt)?;
        let pad = to_align(total, &h, opt, size);
        total = total.wrapping_add(pad);
        out.resize(out.len() + pad, 0);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = check_number(stack, arg)?;
                arg += 1;
                put_integer(&mut out, n, h.little, size);
            }
            b'x' => out.push(0),
            b'f' => {
                let f = check_number(stack, arg)? as f32;
                arg += 1;
                put_bytes(&mut out, &f.to_le_bytes(), h.little);
            }
            b'd' => {
                let d = check_number(stack, arg)?;
                arg += 1;
                put_bytes(&mut out, &d.to_le_bytes(), h.little);
            }
            b'c' | b's' => {
                let s = check_string(ctx, stack, arg)?.as_bytes();
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    return Err(NativeError::bad_argument(arg + 1, "string too short"));
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                    size += 1;
                }
            }
            _ => fmt.control(opt, &mut h)?,
        }
        total = total.wrapping_add(size);
    }
    stack.replace(&[ctx.str(&out)]);
    Ok(Action::Return)
}

/// `getinteger`: `size` bytes as an integer (sign-extended for signed formats).
fn get_integer(bytes: &[u8], little: bool, signed: bool) -> f64 {
    let mut l: u64 = 0;
    let mut push = |b: u8| l = (l << 8) | u64::from(b);
    if little {
        bytes.iter().rev().for_each(|&b| push(b));
    } else {
        bytes.iter().for_each(|&b| push(b));
    }
    if !signed {
        return l as f64;
    }
    let shift = (bytes.len() * 8).wrapping_sub(1) as u32;
    let mask = u64::MAX.wrapping_shl(shift);
    if l & mask != 0 {
        l |= mask;
    }
    l as i64 as f64
}

fn native_bytes<const N: usize>(bytes: &[u8], little: bool) -> [u8; N] {
    let mut b = [0u8; N];
    b.copy_from_slice(&bytes[..N]);
    if !little {
        b.reverse();
    }
    b
}

fn data_too_short<'gc>() -> NativeError<'gc> {
    NativeError::bad_argument(2, "data string too short")
}

/// `struct.unpack(fmt, data [, init])`: the values, then the position after them.
fn unpack<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let fmt_str = check_string(ctx, stack, 0)?;
    let data_str = check_string(ctx, stack, 1)?;
    let data = data_str.as_bytes();
    let init = opt_integer(stack, 2, 1)? as usize;
    if init == 0 {
        return Err(NativeError::bad_argument(3, "offset must be 1 or greater"));
    }
    let mut pos = init - 1;
    let mut fmt = Format::new(fmt_str.as_bytes());
    let mut h = Header::default();
    let mut values: Vec<Value<'gc>> = Vec::new();
    while let Some(opt) = fmt.next_option() {
        let mut size = fmt.size(opt)?;
        pos = pos.wrapping_add(to_align(pos, &h, opt, size));
        if size > data.len() || pos > data.len() - size {
            return Err(data_too_short());
        }
        if stack.len() + values.len() + 2 > super::MAX_C_STACK {
            return Err(NativeError::runtime("stack overflow (too many results)"));
        }
        let here = &data[pos..];
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = get_integer(&here[..size], h.little, opt.is_ascii_lowercase());
                values.push(Value::Number(n));
            }
            b'x' => {}
            b'f' => {
                let f = f32::from_le_bytes(native_bytes(here, h.little));
                values.push(Value::Number(f64::from(f)));
            }
            b'd' => {
                let d = f64::from_le_bytes(native_bytes(here, h.little));
                values.push(Value::Number(d));
            }
            b'c' => {
                if size == 0 {
                    let Some(n) = values.last().and_then(|&v| ops::to_number(v)) else {
                        return Err(NativeError::runtime("format 'c0' needs a previous size"));
                    };
                    size = if n < 0.0 {
                        double_to_i64(n) as usize
                    } else {
                        double_to_u64(n) as usize
                    };
                    values.pop();
                    if size > data.len() || pos > data.len() - size {
                        return Err(data_too_short());
                    }
                }
                values.push(ctx.str(&data[pos..pos + size]));
            }
            b's' => {
                let Some(len) = here.iter().position(|&c| c == 0) else {
                    return Err(NativeError::runtime("unfinished string in data"));
                };
                size = len + 1;
                values.push(ctx.str(&here[..len]));
            }
            _ => fmt.control(opt, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    values.push(Value::Number(pos.wrapping_add(1) as f64));
    stack.replace(&values);
    Ok(Action::Return)
}

/// `struct.size(fmt)`: the packed size of a fixed-size format.
fn size<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let fmt_str = check_string(ctx, stack, 0)?;
    let mut fmt = Format::new(fmt_str.as_bytes());
    let mut h = Header::default();
    let mut pos = 0usize;
    while let Some(opt) = fmt.next_option() {
        let size = fmt.size(opt)?;
        pos = pos.wrapping_add(to_align(pos, &h, opt, size));
        if opt == b's' {
            return Err(NativeError::bad_argument(1, "option 's' has no fixed size"));
        }
        if opt == b'c' && size == 0 {
            return Err(NativeError::bad_argument(
                1,
                "option 'c0' has no fixed size",
            ));
        }
        if !opt.is_ascii_alphanumeric() {
            fmt.control(opt, &mut h)?;
        }
        pos = pos.wrapping_add(size);
    }
    stack.replace(&[Value::Number(pos as f64)]);
    Ok(Action::Return)
}
