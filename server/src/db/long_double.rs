//! x87 80-bit extended precision ("long double") in software, for `INCRBYFLOAT` and `HINCRBYFLOAT`.
//! Redis 7.0 parses the increment and the stored value with `strtold`, adds them as `long double` (64-bit mantissa on
//! x86-64) and prints the sum with `%.17Lf` minus trailing zeros; doing the same in `f64` prints e.g.
//! `0.30000000000000004` where Redis prints `0.3`. Key decision: exact arithmetic — parsing and
//! printing go through a small big-integer type so every result is correctly rounded like glibc's,
//! and addition rounds to nearest-even with a sticky bit, like the FPU.

use std::cmp::Ordering;

/// Longest text `string2ld` accepts (`MAX_LONG_DOUBLE_CHARS` minus the terminator).
const MAX_CHARS: usize = 5 * 1024 - 1;
/// Exponent of the smallest denormal's unit: values are `mant * 2^exp` with `exp >= MIN_EXP`.
const MIN_EXP: i32 = -16445;
/// Largest binary exponent of a finite value's leading bit.
const MAX_TOP: i64 = 16383;

/// A finite long double: `(-1)^neg * mant * 2^exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongDouble {
    neg: bool,
    mant: u64,
    exp: i32,
}

/// What `string2ld` makes of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed {
    /// A finite number.
    Finite(LongDouble),
    /// `inf`/`infinity` (either sign), which `string2ld` accepts.
    Infinite,
    /// Not a number `string2ld` accepts (junk, spaces, NaN, overflow, underflow to zero).
    Invalid,
}

impl LongDouble {
    /// Converts an integer exactly (a 64-bit mantissa holds every `i64`).
    pub fn from_i64(n: i64) -> LongDouble {
        LongDouble {
            neg: n < 0,
            mant: n.unsigned_abs(),
            exp: 0,
        }
    }

    /// The sum rounded to nearest-even; `None` when it overflows to infinity.
    pub fn checked_add(self, other: LongDouble) -> Option<LongDouble> {
        if other.mant == 0 {
            return Some(if self.mant == 0 {
                LongDouble::zero(self.neg && other.neg)
            } else {
                self
            });
        }
        if self.mant == 0 {
            return Some(other);
        }
        let (a, b) = (self.normalized(), other.normalized());
        let (x, y) = if a.exp >= b.exp { (a, b) } else { (b, a) };
        let d = (x.exp - y.exp) as u32;
        let mx = (x.mant as u128) << 62;
        let full = (y.mant as u128) << 62;
        let my = if d >= 127 {
            1
        } else {
            let s = full >> d;
            s | u128::from(s << d != full)
        };
        let e = x.exp - 62;
        if x.neg == y.neg {
            return round(x.neg, mx + my, e);
        }
        match mx.cmp(&my) {
            Ordering::Equal => Some(LongDouble::zero(false)),
            Ordering::Greater => round(x.neg, mx - my, e),
            Ordering::Less => round(y.neg, my - mx, e),
        }
    }

    fn zero(neg: bool) -> LongDouble {
        LongDouble {
            neg,
            mant: 0,
            exp: 0,
        }
    }

    fn normalized(self) -> LongDouble {
        let lz = self.mant.leading_zeros();
        LongDouble {
            neg: self.neg,
            mant: self.mant << lz,
            exp: self.exp - lz as i32,
        }
    }

    /// Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf` without trailing zeros, `-0` printed as `0`.
    pub fn to_human(self) -> String {
        let mut text = if self.exp >= 0 {
            Big::from_u64(self.mant).shl(self.exp as u32).to_decimal()
        } else {
            fixed17(self.mant, (-self.exp) as u32)
        };
        if self.neg {
            text.insert(0, '-');
        }
        if text == "-0" {
            text = "0".into();
        }
        text
    }
}

/// `%.17Lf` of `mant / 2^s`, trailing fraction zeros removed; rounding half to even like glibc.
fn fixed17(mant: u64, s: u32) -> String {
    const SCALE: u128 = 100_000_000_000_000_000;
    let (mut int, frac) = if s >= 64 {
        (0u128, mant as u128)
    } else {
        ((mant >> s) as u128, (mant & ((1u64 << s) - 1)) as u128)
    };
    let x = frac * SCALE;
    let (mut digits, round_up) = if s >= 128 {
        (0, false)
    } else {
        let q = x >> s;
        let rem = x - (q << s);
        let half = 1u128 << (s - 1);
        (q, rem > half || (rem == half && q & 1 == 1))
    };
    if round_up {
        digits += 1;
        if digits == SCALE {
            digits = 0;
            int += 1;
        }
    }
    let text = format!("{int}.{digits:017}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Rounds `m * 2^e` (low bit of `m` possibly a sticky bit) to a long double; `None` on overflow.
fn round(neg: bool, m: u128, e: i32) -> Option<LongDouble> {
    if m == 0 {
        return Some(LongDouble::zero(neg));
    }
    let bits = 128 - m.leading_zeros() as i32;
    let shift = (bits - 64).max(MIN_EXP.saturating_sub(e));
    let (mant, exp) = if shift <= 0 {
        (m as u64, e)
    } else {
        let shift = shift as u32;
        let (mut q, up) = if shift >= 128 {
            (0, shift == 128 && m > 1u128 << 127)
        } else {
            let q = m >> shift;
            let rem = m - (q << shift);
            let half = 1u128 << (shift - 1);
            (q, rem > half || (rem == half && q & 1 == 1))
        };
        let mut exp = e + shift as i32;
        if up {
            q += 1;
            if q == 1u128 << 64 {
                q >>= 1;
                exp += 1;
            }
        }
        (q as u64, exp)
    };
    let top = exp as i64 + 63 - mant.leading_zeros() as i64;
    if mant != 0 && top > MAX_TOP {
        return None;
    }
    Some(LongDouble { neg, mant, exp })
}

/// Parses like Redis's `string2ld`: the whole text must be a `strtold` number (decimal, hexadecimal
/// `0x1.8p3`, `inf`/`infinity`), no leading space, no NaN, no overflow, no underflow to zero. A NUL
/// byte anywhere makes it invalid (Redis checks that `strtold` consumed every byte).
pub fn parse(text: &[u8]) -> Parsed {
    if text.is_empty() || text.len() > MAX_CHARS {
        return Parsed::Invalid;
    }
    let (neg, body) = match text[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        return Parsed::Infinite;
    }
    let hex = body.len() > 2 && body[0] == b'0' && (body[1] | 0x20) == b'x';
    let number = if hex {
        parse_hex(neg, &body[2..])
    } else {
        parse_decimal(neg, body)
    };
    number.map_or(Parsed::Invalid, Parsed::Finite)
}

/// Splits `digits[.digits][<marker>[sign]digits]` into mantissa digits, the count of fraction digits
/// and the exponent; `None` when the text does not have that exact shape.
fn split_number(body: &[u8], is_digit: fn(u8) -> bool, marker: u8) -> Option<(Vec<u8>, i64, i64)> {
    let mut i = 0;
    let mut digits = Vec::new();
    while i < body.len() && is_digit(body[i]) {
        digits.push(body[i]);
        i += 1;
    }
    let mut frac = 0i64;
    if i < body.len() && body[i] == b'.' {
        i += 1;
        while i < body.len() && is_digit(body[i]) {
            digits.push(body[i]);
            frac += 1;
            i += 1;
        }
    }
    if digits.is_empty() {
        return None;
    }
    let mut exp = 0i64;
    if i < body.len() && (body[i] | 0x20) == marker {
        i += 1;
        let negative = match body.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while i < body.len() && body[i].is_ascii_digit() {
            exp = (exp * 10 + (body[i] - b'0') as i64).min(1_000_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        if negative {
            exp = -exp;
        }
    }
    (i == body.len()).then_some((digits, frac, exp))
}

fn parse_decimal(neg: bool, body: &[u8]) -> Option<LongDouble> {
    let (digits, frac, exp) = split_number(body, |b| b.is_ascii_digit(), b'e')?;
    let first = digits.iter().position(|&d| d != b'0');
    let Some(first) = first else {
        return Some(LongDouble::zero(neg));
    };
    let last = digits.iter().rposition(|&d| d != b'0').unwrap_or(first);
    let sig = &digits[first..=last];
    let p = exp - frac + (digits.len() - 1 - last) as i64;
    let magnitude = sig.len() as i64 + p;
    if !(-4952..=4934).contains(&magnitude) {
        return None;
    }
    let d = Big::from_digits(sig, 10);
    let (m, e) = if p >= 0 {
        d.mul(&Big::pow10(p as u32)).top()
    } else {
        divide(&d, &Big::pow10((-p) as u32))
    };
    nonzero(round(neg, m, e)?)
}

fn parse_hex(neg: bool, body: &[u8]) -> Option<LongDouble> {
    let (digits, frac, exp) = split_number(body, |b| b.is_ascii_hexdigit(), b'p')?;
    let h = Big::from_digits(&digits, 16);
    if h.is_zero() {
        return Some(LongDouble::zero(neg));
    }
    let top = h.bitlen() as i64 - 1 + exp - 4 * frac;
    if top > MAX_TOP || top < MIN_EXP as i64 - 2 {
        return None;
    }
    let (m, e) = h.top();
    nonzero(round(neg, m, e + (exp - 4 * frac) as i32)?)
}

/// Rejects a nonzero input that rounded to zero (`strtold` underflow, which `string2ld` refuses).
fn nonzero(x: LongDouble) -> Option<LongDouble> {
    (x.mant != 0).then_some(x)
}

/// `d / b` as a 66- or 67-bit quotient with a sticky low bit, and its binary exponent.
fn divide(d: &Big, b: &Big) -> (u128, i32) {
    let k = b.bitlen() as i64 - d.bitlen() as i64 + 66;
    let mut a = d.shl(k.max(0) as u32);
    let b = b.shl((-k).max(0) as u32);
    let steps = a.bitlen() - b.bitlen();
    let mut t = b.shl(steps);
    let mut q = 0u128;
    for i in (0..=steps).rev() {
        if a.cmp(&t) != Ordering::Less {
            a.sub_assign(&t);
            q |= 1u128 << i;
        }
        t.shr1();
    }
    (q | u128::from(!a.is_zero()), -k as i32)
}

/// A little unsigned big integer (little-endian 32-bit limbs, no high zero limbs).
#[derive(Debug, Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(n: u64) -> Big {
        let mut b = Big(vec![n as u32, (n >> 32) as u32]);
        b.trim();
        b
    }

    fn from_digits(digits: &[u8], radix: u32) -> Big {
        let mut b = Big(Vec::new());
        for &c in digits {
            let v = (c as char).to_digit(radix).unwrap_or(0);
            b.mul_small(radix, v);
        }
        b
    }

    fn pow10(n: u32) -> Big {
        let mut b = Big(vec![1]);
        for _ in 0..n / 9 {
            b.mul_small(1_000_000_000, 0);
        }
        b.mul_small(10u32.pow(n % 9), 0);
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn bitlen(&self) -> u32 {
        match self.0.last() {
            Some(&top) => 32 * self.0.len() as u32 - top.leading_zeros(),
            None => 0,
        }
    }

    fn mul_small(&mut self, m: u32, add: u32) {
        let mut carry = add as u64;
        for limb in &mut self.0 {
            let v = *limb as u64 * m as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let v = out[i + j] as u64 + a as u64 * b as u64 + carry;
                out[i + j] = v as u32;
                carry = v >> 32;
            }
            out[i + other.0.len()] = carry as u32;
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn shl(&self, bits: u32) -> Big {
        let limbs = (bits / 32) as usize;
        let r = bits % 32;
        let mut out = vec![0u32; limbs];
        let mut carry = 0u32;
        for &l in &self.0 {
            out.push(if r == 0 { l } else { (l << r) | carry });
            carry = if r == 0 { 0 } else { l >> (32 - r) };
        }
        out.push(carry);
        let mut b = Big(out);
        b.trim();
        b
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for l in self.0.iter_mut().rev() {
            let next = *l & 1;
            *l = (*l >> 1) | (carry << 31);
            carry = next;
        }
        self.trim();
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = *limb as i64 - other.0.get(i).copied().unwrap_or(0) as i64 - borrow;
            borrow = i64::from(v < 0);
            *limb = v.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }

    /// The top bits as `(m, e)` with `self ≈ m * 2^e`, `m` at most 128 bits, lost bits as a sticky bit.
    fn top(&self) -> (u128, i32) {
        let bits = self.bitlen();
        if bits <= 128 {
            let v = self
                .0
                .iter()
                .rev()
                .fold(0u128, |acc, &l| (acc << 32) | l as u128);
            return (v, 0);
        }
        let shift = bits - 128;
        let mut m = 0u128;
        for i in (0..128).rev() {
            m = (m << 1) | self.bit(shift + i) as u128;
        }
        let sticky = (0..shift).any(|i| self.bit(i));
        (m | u128::from(sticky), shift as i32)
    }

    fn bit(&self, i: u32) -> bool {
        self.0
            .get((i / 32) as usize)
            .is_some_and(|l| l >> (i % 32) & 1 == 1)
    }

    fn to_decimal(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            let mut rem = 0u64;
            for l in n.0.iter_mut().rev() {
                let v = (rem << 32) | *l as u64;
                *l = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            n.trim();
            chunks.push(rem as u32);
        }
        let mut s = chunks.pop().unwrap_or(0).to_string();
        for c in chunks.iter().rev() {
            s.push_str(&format!("{c:09}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ld(s: &str) -> LongDouble {
        match parse(s.as_bytes()) {
            Parsed::Finite(x) => x,
            other => panic!("{s}: {other:?}"),
        }
    }

    fn sum(a: &str, b: &str) -> String {
        ld(a).checked_add(ld(b)).unwrap().to_human()
    }

    #[test]
    fn sums_print_like_redis() {
        assert_eq!(sum("0.1", "0.2"), "0.3");
        assert_eq!(sum("10.5", "0.1"), "10.6");
        assert_eq!(sum("1517", "1e-4935"), "1517");
        assert_eq!(sum("17", "1.5e3"), "1517");
        assert_eq!(sum("5", "-5"), "0");
        assert_eq!(sum("-1e-30", "0"), "0");
        assert_eq!(ld("0x10").to_human(), "16");
        assert_eq!(ld("0x1.8p1").to_human(), "3");
        assert_eq!(ld("1e300").to_human().len(), 301);
        assert_eq!(ld("3.0e3").to_human(), "3000");
        assert_eq!(ld("-2.5").to_human(), "-2.5");
        assert_eq!(ld("5e-4940").to_human(), "0");
        assert!(ld("1.18e4932").checked_add(ld("1e4932")).is_none());
    }

    #[test]
    fn parse_rejects_like_string2ld() {
        for bad in [
            "", " 1", "1 ", "abc", "nan", "1e", "1e99999", "1e-5000", "0x", ".", "1..2", "12\0",
            "\0", "1\x002", "1.5\0x",
        ] {
            assert_eq!(parse(bad.as_bytes()), Parsed::Invalid, "{bad:?}");
        }
        assert_eq!(parse(b"-inf"), Parsed::Infinite);
        assert_eq!(parse(b"Infinity"), Parsed::Infinite);
        assert_eq!(ld(".5").to_human(), "0.5");
        assert_eq!(ld("5.").to_human(), "5");
        assert_eq!(ld("0e-99999").to_human(), "0");
    }
}
