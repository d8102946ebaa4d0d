//! Bit commands on string values: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO. Key
//! decision: bit 0 is the most significant bit of byte 0 (Redis's order); BITFIELD arithmetic is done
//! in i128 so every width up to 64 bits checks overflow the same way.

use super::errors::{self, CmdError};
use super::string::{read_str, MAX_STRING};
use super::{args, CmdResult, Ctx};
use crate::db::hooks::class;
use crate::db::{Bytes, Value};

const BAD_OFFSET: CmdError = CmdError::fixed("ERR bit offset is not an integer or out of range");

/// Parses a bit offset (`#N` multiplies by `width` when `hash_ok`).
fn bit_offset(arg: &[u8], hash_ok: bool, width: u32) -> Result<u64, CmdError> {
    let (mul, digits) = match arg.split_first() {
        Some((b'#', rest)) if hash_ok => (width as i64, rest),
        _ => (1, arg),
    };
    let n = args::int_or(digits, BAD_OFFSET)?;
    let n = n.checked_mul(mul).ok_or(BAD_OFFSET)?;
    if n < 0 || (n >> 3) >= MAX_STRING {
        return Err(BAD_OFFSET);
    }
    Ok(n as u64)
}

fn get_bit(s: &[u8], bit: u64) -> u8 {
    let byte = (bit >> 3) as usize;
    match s.get(byte) {
        Some(b) => (b >> (7 - (bit & 7))) & 1,
        None => 0,
    }
}

fn set_bit(s: &mut Vec<u8>, bit: u64, on: bool) {
    let byte = (bit >> 3) as usize;
    if s.len() <= byte {
        s.resize(byte + 1, 0);
    }
    let mask = 1u8 << (7 - (bit & 7));
    if on {
        s[byte] |= mask;
    } else {
        s[byte] &= !mask;
    }
}

/// SETBIT key offset value.
pub fn setbit(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let bit = bit_offset(&args[2], false, 1)?;
    let on = match args[3].as_slice() {
        b"0" => false,
        b"1" => true,
        _ => return Err(CmdError::fixed("ERR bit is not an integer or out of range")),
    };
    let (db, out) = cx.db_out();
    if let Some(v) = db.get_mut(&args[1]) {
        v.as_str()?;
    }
    let v = db.get_or_insert_with(&args[1], || Value::Str(Default::default()));
    let s = v.as_str_mut()?;
    let old = get_bit(s, bit);
    set_bit(s, bit, on);
    db.signal_modified(&args[1]);
    db.notify(class::STRING, "setbit", &args[1]);
    out.int(old as i64);
    Ok(())
}

/// GETBIT key offset.
pub fn getbit(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let bit = bit_offset(&args[2], false, 1)?;
    let (db, out) = cx.db_out();
    let b = read_str(db, &args[1])?.map_or(0, |s| get_bit(s, bit));
    out.int(b as i64);
    Ok(())
}

/// Resolves Redis start/end indexes over `total` units; `None` when the range is empty.
fn resolve(mut start: i64, mut end: i64, total: i64) -> Option<(i64, i64)> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= total {
        end = total - 1;
    }
    (start <= end && total > 0).then_some((start, end))
}

/// Parses an optional `BYTE|BIT` unit argument; true for BIT.
fn unit_is_bit(arg: Option<&Vec<u8>>) -> Result<bool, CmdError> {
    match arg {
        None => Ok(false),
        Some(a) if args::is(a, "BYTE") => Ok(false),
        Some(a) if args::is(a, "BIT") => Ok(true),
        Some(_) => Err(errors::SYNTAX),
    }
}

/// BITCOUNT key [start end [BYTE|BIT]].
pub fn bitcount(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let (db, out) = cx.db_out();
    let Some(s) = read_str(db, &args[1])? else {
        out.int(0);
        return Ok(());
    };
    let count = match args.len() {
        2 => s.iter().map(|b| b.count_ones() as i64).sum(),
        4 | 5 => {
            let start = args::int(&args[2])?;
            let end = args::int(&args[3])?;
            let bit = unit_is_bit(args.get(4))?;
            let total = if bit {
                s.len() as i64 * 8
            } else {
                s.len() as i64
            };
            match resolve(start, end, total) {
                None => 0,
                Some((a, b)) if bit => (a..=b).map(|i| get_bit(s, i as u64) as i64).sum(),
                Some((a, b)) => s[a as usize..=b as usize]
                    .iter()
                    .map(|b| b.count_ones() as i64)
                    .sum(),
            }
        }
        _ => return Err(errors::SYNTAX),
    };
    out.int(count);
    Ok(())
}

/// BITPOS key bit [start [end [BYTE|BIT]]].
pub fn bitpos(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let want = match args[2].as_slice() {
        b"0" => 0u8,
        b"1" => 1u8,
        _ => return Err(CmdError::fixed("ERR The bit argument must be 1 or 0.")),
    };
    if args.len() > 6 {
        return Err(errors::SYNTAX);
    }
    let start = args.get(3).map(|a| args::int(a)).transpose()?.unwrap_or(0);
    let end_arg = args.get(4).map(|a| args::int(a)).transpose()?;
    let bit_unit = unit_is_bit(args.get(5))?;
    let (db, out) = cx.db_out();
    let Some(s) = read_str(db, &args[1])? else {
        out.int(if want == 1 { -1 } else { 0 });
        return Ok(());
    };
    let total = if bit_unit {
        s.len() as i64 * 8
    } else {
        s.len() as i64
    };
    let Some((a, b)) = resolve(start, end_arg.unwrap_or(-1), total) else {
        out.int(-1);
        return Ok(());
    };
    let (first, last) = if bit_unit { (a, b) } else { (a * 8, b * 8 + 7) };
    let skip = if want == 1 { 0x00 } else { 0xff };
    let mut i = first;
    while i <= last {
        if i % 8 == 0 && i + 7 <= last && s[(i / 8) as usize] == skip {
            i += 8;
            continue;
        }
        if get_bit(s, i as u64) == want {
            out.int(i);
            return Ok(());
        }
        i += 1;
    }
    out.int(if want == 0 && end_arg.is_none() {
        last + 1
    } else {
        -1
    });
    Ok(())
}

/// BITOP AND|OR|XOR|NOT destkey key [key ...].
pub fn bitop(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let op = &args[1];
    let kind = ["AND", "OR", "XOR", "NOT"]
        .iter()
        .position(|w| args::is(op, w))
        .ok_or(errors::SYNTAX)?;
    if kind == 3 && args.len() != 4 {
        return Err(CmdError::fixed(
            "ERR BITOP NOT must be called with a single source key.",
        ));
    }
    let (db, out) = cx.db_out();
    let mut sources = Vec::with_capacity(args.len() - 3);
    for key in &args[3..] {
        sources.push(read_str(db, key)?.map(<[u8]>::to_vec).unwrap_or_default());
    }
    let len = sources.iter().map(Vec::len).max().unwrap_or(0);
    let mut res = vec![0u8; len];
    for (i, byte) in res.iter_mut().enumerate() {
        let at = |s: &Vec<u8>| s.get(i).copied().unwrap_or(0);
        *byte = match kind {
            0 => sources.iter().fold(0xff, |acc, s| acc & at(s)),
            1 => sources.iter().fold(0, |acc, s| acc | at(s)),
            2 => sources.iter().fold(0, |acc, s| acc ^ at(s)),
            _ => !at(&sources[0]),
        };
    }
    let dest = &args[2];
    if len == 0 {
        db.remove(dest);
        db.notify(class::GENERIC, "del", dest);
    } else {
        db.set(dest, Value::Str(Bytes::growable(res)));
        db.notify(class::STRING, "set", dest);
    }
    db.signal_modified(dest);
    out.int(len as i64);
    Ok(())
}

/// A BITFIELD integer type.
#[derive(Clone, Copy)]
struct FieldType {
    signed: bool,
    bits: u32,
}

impl FieldType {
    fn parse(arg: &[u8]) -> Result<FieldType, CmdError> {
        let bad = CmdError::fixed("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        let (signed, digits) = match arg.split_first() {
            Some((b'i' | b'I', d)) => (true, d),
            Some((b'u' | b'U', d)) => (false, d),
            _ => return Err(bad),
        };
        let bits = crate::resp::parser::parse_i64(digits).ok_or(bad.clone())?;
        let max = if signed { 64 } else { 63 };
        if bits < 1 || bits > max {
            return Err(bad);
        }
        Ok(FieldType {
            signed,
            bits: bits as u32,
        })
    }

    fn min(self) -> i128 {
        if self.signed {
            -(1i128 << (self.bits - 1))
        } else {
            0
        }
    }

    fn max(self) -> i128 {
        if self.signed {
            (1i128 << (self.bits - 1)) - 1
        } else {
            (1i128 << self.bits) - 1
        }
    }

    fn read(self, s: &[u8], offset: u64) -> i128 {
        let mut v: u128 = 0;
        for i in 0..self.bits as u64 {
            v = (v << 1) | get_bit(s, offset + i) as u128;
        }
        if self.signed && self.bits < 128 && (v >> (self.bits - 1)) & 1 == 1 {
            v as i128 - (1i128 << self.bits)
        } else {
            v as i128
        }
    }

    fn write(self, s: &mut Vec<u8>, offset: u64, value: i128) {
        let v = value as u128;
        for i in 0..self.bits as u64 {
            let bit = (v >> (self.bits as u64 - 1 - i)) & 1 == 1;
            set_bit(s, offset + i, bit);
        }
    }

    /// Applies the overflow policy; `None` for FAIL on overflow.
    fn fit(self, v: i128, policy: Overflow) -> Option<i128> {
        if v >= self.min() && v <= self.max() {
            return Some(v);
        }
        match policy {
            Overflow::Fail => None,
            Overflow::Sat => Some(v.clamp(self.min(), self.max())),
            Overflow::Wrap => {
                let span = 1i128 << self.bits;
                Some((v - self.min()).rem_euclid(span) + self.min())
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

enum FieldOp {
    Get(FieldType, u64),
    Set(FieldType, u64, i64, Overflow),
    Incr(FieldType, u64, i64, Overflow),
}

fn parse_field_ops(args: &[Vec<u8>], readonly: bool) -> Result<Vec<FieldOp>, CmdError> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut i = 2;
    while i < args.len() {
        let a = &args[i];
        let left = args.len() - i - 1;
        if args::is(a, "GET") && left >= 2 {
            let t = FieldType::parse(&args[i + 1])?;
            ops.push(FieldOp::Get(t, bit_offset(&args[i + 2], true, t.bits)?));
            i += 3;
        } else if (args::is(a, "SET") || args::is(a, "INCRBY")) && left >= 3 {
            if readonly {
                return Err(CmdError::fixed(
                    "ERR BITFIELD_RO only supports the GET subcommand",
                ));
            }
            let t = FieldType::parse(&args[i + 1])?;
            let off = bit_offset(&args[i + 2], true, t.bits)?;
            let n = args::int(&args[i + 3])?;
            ops.push(if args::is(a, "SET") {
                FieldOp::Set(t, off, n, overflow)
            } else {
                FieldOp::Incr(t, off, n, overflow)
            });
            i += 4;
        } else if args::is(a, "OVERFLOW") && left >= 1 {
            if readonly {
                return Err(CmdError::fixed(
                    "ERR BITFIELD_RO only supports the GET subcommand",
                ));
            }
            let w = &args[i + 1];
            overflow = if args::is(w, "WRAP") {
                Overflow::Wrap
            } else if args::is(w, "SAT") {
                Overflow::Sat
            } else if args::is(w, "FAIL") {
                Overflow::Fail
            } else {
                return Err(CmdError::fixed("ERR Invalid OVERFLOW type specified"));
            };
            i += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    Ok(ops)
}

fn bitfield_generic(cx: &mut Ctx, args: &[Vec<u8>], readonly: bool) -> CmdResult {
    let ops = parse_field_ops(args, readonly)?;
    let writes = ops.iter().any(|o| !matches!(o, FieldOp::Get(..)));
    let (db, out) = cx.db_out();
    let key = &args[1];
    let mut scratch = Vec::new();
    if let Some(v) = db.get_mut(key) {
        v.as_str()?;
    }
    let s: &mut Vec<u8> = if writes {
        db.get_or_insert_with(key, || Value::Str(Default::default()))
            .as_str_mut()?
    } else {
        match db.get_mut(key) {
            Some(v) if v.as_str()?.len() <= 44 => {
                scratch.extend_from_slice(v.as_str()?);
                &mut scratch
            }
            Some(v) => v.as_str_mut()?,
            None => &mut scratch,
        }
    };
    out.array(ops.len());
    for op in ops {
        match op {
            FieldOp::Get(t, off) => out.int(t.read(s, off) as i64),
            FieldOp::Set(t, off, v, policy) => {
                let v = if t.signed {
                    v as i128
                } else {
                    v as u64 as i128
                };
                match t.fit(v, policy) {
                    Some(nv) => {
                        out.int(t.read(s, off) as i64);
                        t.write(s, off, nv);
                    }
                    None => out.null(),
                }
            }
            FieldOp::Incr(t, off, by, policy) => match t.fit(t.read(s, off) + by as i128, policy) {
                Some(nv) => {
                    t.write(s, off, nv);
                    out.int(nv as i64);
                }
                None => out.null(),
            },
        }
    }
    if writes {
        db.signal_modified(key);
        db.notify(class::STRING, "setbit", key);
    }
    Ok(())
}

/// BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment] [OVERFLOW ...].
pub fn bitfield(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bitfield_generic(cx, args, false)
}

/// BITFIELD_RO key [GET type offset ...].
pub fn bitfield_ro(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    bitfield_generic(cx, args, true)
}
