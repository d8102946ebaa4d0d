//! Exact decimal expansion of doubles, and the `%e` / `%f` / `%g` renderings built on it.
//!
//! Key design decision: a finite double is `m·2^e`, whose decimal expansion is finite, so we compute
//! *all* of its digits with a tiny big integer (`m·2^e`, or `m·5^-e` scaled by `10^e`). Rounding to
//! any precision is then exact round-half-to-even on the true binary value, which is what glibc's
//! `printf` does. This is slow for extreme exponents, so callers keep fast paths for common values.

/// The decimal digits of a non-negative finite value: `0.d1 d2 d3 … × 10^point`.
///
/// Invariant: `digits` holds values `0..=9`, starts with a nonzero digit and has no trailing zeros;
/// an empty `digits` means the value zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    digits: Vec<u8>,
    point: i32,
}

/// Multiplies the little-endian big integer `n` by `k` in place.
fn mul_small(n: &mut Vec<u32>, k: u32) {
    let mut carry = 0u64;
    for limb in n.iter_mut() {
        let v = u64::from(*limb) * u64::from(k) + carry;
        *limb = v as u32;
        carry = v >> 32;
    }
    if carry != 0 {
        n.push(carry as u32);
    }
}

/// Shifts the little-endian big integer `n` left by `bits` in place.
fn shl(n: &mut Vec<u32>, bits: u32) {
    let words = (bits / 32) as usize;
    let rest = bits % 32;
    if rest != 0 {
        let mut carry = 0u32;
        for limb in n.iter_mut() {
            let v = *limb;
            *limb = (v << rest) | carry;
            carry = v >> (32 - rest);
        }
        if carry != 0 {
            n.push(carry);
        }
    }
    n.splice(0..0, std::iter::repeat_n(0, words));
}

/// Divides `n` by 10^9 in place and returns the remainder; trims leading zero limbs.
fn divmod_billion(n: &mut Vec<u32>) -> u32 {
    let mut rem = 0u64;
    for limb in n.iter_mut().rev() {
        let v = (rem << 32) | u64::from(*limb);
        *limb = (v / 1_000_000_000) as u32;
        rem = v % 1_000_000_000;
    }
    while n.last() == Some(&0) {
        n.pop();
    }
    rem as u32
}

impl Decimal {
    /// The exact decimal expansion of `x`, which must be finite and non-negative.
    pub(crate) fn from_f64(x: f64) -> Decimal {
        debug_assert!(x.is_finite() && x >= 0.0);
        let bits = x.to_bits();
        let exp_bits = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (mut m, mut e) = if exp_bits == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), exp_bits - 1075)
        };
        if m == 0 {
            return Decimal {
                digits: Vec::new(),
                point: 0,
            };
        }
        let tz = m.trailing_zeros();
        m >>= tz;
        e += tz as i32;
        let mut n = vec![m as u32, (m >> 32) as u32];
        let mut scale = 0;
        if e >= 0 {
            shl(&mut n, e as u32);
        } else {
            let mut k = -e;
            while k >= 13 {
                mul_small(&mut n, 1_220_703_125); // 5^13
                k -= 13;
            }
            mul_small(&mut n, 5u32.pow(k as u32));
            scale = e;
        }
        while n.last() == Some(&0) {
            n.pop();
        }
        let mut chunks = Vec::new();
        while !n.is_empty() {
            chunks.push(divmod_billion(&mut n));
        }
        let mut digits = Vec::with_capacity(chunks.len() * 9);
        for (i, &chunk) in chunks.iter().rev().enumerate() {
            let mut buf = [0u8; 9];
            let mut c = chunk;
            for slot in buf.iter_mut().rev() {
                *slot = (c % 10) as u8;
                c /= 10;
            }
            if i == 0 {
                let lead = buf.iter().take_while(|&&d| d == 0).count();
                digits.extend_from_slice(&buf[lead..]);
            } else {
                digits.extend_from_slice(&buf);
            }
        }
        let point = digits.len() as i32 + scale;
        let mut d = Decimal { digits, point };
        d.trim();
        d
    }

    /// Builds a decimal from ASCII digits meaning `0.digits × 10^point` (leading zeros allowed).
    pub(crate) fn from_ascii(ascii: &[u8], point: i32) -> Decimal {
        let lead = ascii.iter().take_while(|&&c| c == b'0').count();
        let mut d = Decimal {
            digits: ascii[lead..].iter().map(|c| c - b'0').collect(),
            point: point - lead as i32,
        };
        d.trim();
        d
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Rounds (half to even, on the exact value) so that only the first `keep` digits remain.
    fn round_to(&mut self, keep: i32) {
        let len = self.digits.len() as i32;
        if keep >= len {
            return;
        }
        if keep < 0 {
            self.digits.clear();
            return;
        }
        let k = keep as usize;
        let first = self.digits[k];
        let odd_before = k > 0 && self.digits[k - 1] % 2 == 1;
        let up = first > 5 || (first == 5 && (self.digits.len() > k + 1 || odd_before));
        self.digits.truncate(k);
        if up {
            loop {
                match self.digits.last_mut() {
                    Some(9) => {
                        self.digits.pop();
                    }
                    Some(d) => {
                        *d += 1;
                        break;
                    }
                    None => {
                        self.digits.push(1);
                        self.point += 1;
                        break;
                    }
                }
            }
        }
        self.trim();
    }

    /// Digit at position `i` (0-based from the first significant digit), zero outside the digits.
    fn digit(&self, i: i32) -> u8 {
        if i >= 0 && (i as usize) < self.digits.len() {
            b'0' + self.digits[i as usize]
        } else {
            b'0'
        }
    }

    /// Writes `int.frac` with exactly `frac` fractional digits (no rounding: already done).
    fn emit_fixed(&self, frac: usize, force_point: bool, out: &mut Vec<u8>) {
        if self.point <= 0 || self.is_zero() {
            out.push(b'0');
        } else {
            for i in 0..self.point {
                out.push(self.digit(i));
            }
        }
        if frac > 0 || force_point {
            out.push(b'.');
        }
        let start = if self.is_zero() {
            i32::MAX / 2
        } else {
            self.point
        };
        for i in 0..frac as i32 {
            out.push(self.digit(start + i));
        }
    }

    /// Writes `d.ddd e±XX` with exactly `frac` digits after the point (no rounding: already done).
    fn emit_exp(&self, frac: usize, upper: bool, force_point: bool, out: &mut Vec<u8>) {
        let x = if self.is_zero() { 0 } else { self.point - 1 };
        out.push(self.digit(0));
        if frac > 0 || force_point {
            out.push(b'.');
        }
        for i in 1..=frac as i32 {
            out.push(self.digit(i));
        }
        out.push(if upper { b'E' } else { b'e' });
        out.push(if x < 0 { b'-' } else { b'+' });
        let a = x.unsigned_abs();
        if a < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(a.to_string().as_bytes());
    }

    /// `%.{prec}f` of this value (no sign).
    pub(crate) fn write_f(mut self, prec: usize, alt: bool, out: &mut Vec<u8>) {
        self.round_to(self.point.saturating_add(prec as i32));
        self.emit_fixed(prec, alt, out);
    }

    /// `%.{prec}e` of this value (no sign).
    pub(crate) fn write_e(mut self, prec: usize, upper: bool, alt: bool, out: &mut Vec<u8>) {
        self.round_to(prec as i32 + 1);
        self.emit_exp(prec, upper, alt, out);
    }

    /// `%.{prec}g` of this value (no sign), C99 rules: precision 0 means 1, style chosen from the
    /// exponent after rounding, trailing zeros removed unless `alt`.
    pub(crate) fn write_g(mut self, prec: usize, upper: bool, alt: bool, out: &mut Vec<u8>) {
        let p = prec.max(1) as i32;
        self.round_to(p);
        let x = if self.is_zero() { 0 } else { self.point - 1 };
        let len = self.digits.len() as i32;
        if x < -4 || x >= p {
            let frac = if alt { p - 1 } else { (len - 1).max(0) };
            self.emit_exp(frac as usize, upper, alt, out);
        } else {
            let frac = if alt {
                p - 1 - x
            } else {
                (len - self.point).max(0)
            };
            self.emit_fixed(frac as usize, alt, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f64, prec: usize, alt: bool) -> String {
        let mut out = Vec::new();
        Decimal::from_f64(x).write_g(prec, false, alt, &mut out);
        String::from_utf8(out).unwrap()
    }
    fn f(x: f64, prec: usize) -> String {
        let mut out = Vec::new();
        Decimal::from_f64(x).write_f(prec, false, &mut out);
        String::from_utf8(out).unwrap()
    }
    fn e(x: f64, prec: usize) -> String {
        let mut out = Vec::new();
        Decimal::from_f64(x).write_e(prec, false, false, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn exact_digits() {
        assert_eq!(
            Decimal::from_f64(0.1),
            Decimal::from_ascii(
                b"1000000000000000055511151231257827021181583404541015625",
                0
            )
        );
        assert_eq!(Decimal::from_f64(1024.0), Decimal::from_ascii(b"1024", 4));
        assert_eq!(Decimal::from_f64(0.0), Decimal::from_ascii(b"", 0));
    }

    #[test]
    fn rounding_matches_glibc() {
        // Expectations from glibc printf.
        assert_eq!(f(0.5, 0), "0");
        assert_eq!(f(1.5, 0), "2");
        assert_eq!(f(2.5, 0), "2");
        assert_eq!(f(0.25, 1), "0.2");
        assert_eq!(f(0.35, 1), "0.3");
        assert_eq!(f(0.006, 2), "0.01");
        assert_eq!(f(0.004, 2), "0.00");
        assert_eq!(f(999.5, 0), "1000");
        assert_eq!(f(0.0, 3), "0.000");
        assert_eq!(f(1e22, 0), "10000000000000000000000");
        assert_eq!(e(0.0, 2), "0.00e+00");
        assert_eq!(e(12345.0, 2), "1.23e+04");
        assert_eq!(e(9.995, 2), "9.99e+00");
        assert_eq!(e(9.9951, 2), "1.00e+01");
        assert_eq!(e(1e-300, 0), "1e-300");
        assert_eq!(g(100000.0, 6, false), "100000");
        assert_eq!(g(1000000.0, 6, false), "1e+06");
        assert_eq!(g(0.0001, 6, false), "0.0001");
        assert_eq!(g(0.00001, 6, false), "1e-05");
        assert_eq!(g(1.5, 6, true), "1.50000");
        assert_eq!(g(0.0, 6, true), "0.00000");
        assert_eq!(g(0.0, 0, false), "0");
        assert_eq!(g(5e-324, 17, false), "4.9406564584124654e-324");
    }
}
