//! Number ↔ string conversions with Lua 5.1's exact behaviour: `tostring` (`"%.14g"`),
//! `luaO_str2d` (glibc `strtod` plus the hex fallback) and `tonumber(s, base)` (`strtoul`).
//!
//! Key design decision: formatting takes the cheapest exact route first — integral values are
//! printed as integers, values whose shortest round-trip representation (Rust's `{:e}`) has at
//! most 14 digits reuse those digits (provably equal to `%.14g`'s rounding) — and only the rest go
//! through the exact big-decimal expansion in `decimal.rs`. Parsing validates the syntax by hand
//! (mirroring glibc's `strtod` grammar, hex floats included) and delegates decimal rounding to
//! Rust's correctly rounded `f64::from_str`; hex floats are rounded by hand.

use std::io::Write as _;

use super::decimal::Decimal;

/// Appends `n` formatted like C's `printf("%.14g", n)` with glibc, which is Lua 5.1's `tostring`.
///
/// Special values print as glibc does: `inf`, `-inf`, `nan`, `-nan` (the NaN's sign bit decides;
/// on x86-64 `0/0` produces a negative NaN, so Lua shows `-nan` for it) and `-0` for negative zero.
pub fn format_number(n: f64, out: &mut Vec<u8>) {
    if n.is_nan() {
        out.extend_from_slice(if n.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
        return;
    }
    if n.is_sign_negative() {
        out.push(b'-');
    }
    let a = n.abs();
    if a.is_infinite() {
        out.extend_from_slice(b"inf");
        return;
    }
    if a < 1e14 && a == a.trunc() {
        write_u64(a as u64, out);
        return;
    }
    // Shortest round-trip digits: when there are at most 14, they are exactly what rounding the
    // true value to 14 significant digits gives (a normal value is within half an ulp, 2^-53
    // relative, of them: far less than half a unit of the 14th digit). Subnormals lack that
    // precision, so they take the exact path.
    let mut buf = [0u8; 40];
    let mut cursor = &mut buf[..];
    write!(cursor, "{a:e}").expect("buffer is large enough for any f64");
    let len = 40 - cursor.len();
    let text = &buf[..len];
    let e_pos = text
        .iter()
        .position(|&c| c == b'e')
        .expect("{:e} has an exponent");
    let mut digits = [0u8; 20];
    let mut nd = 0;
    for &c in text[..e_pos].iter().filter(|c| c.is_ascii_digit()) {
        if nd < digits.len() {
            digits[nd] = c;
        }
        nd += 1;
    }
    let dec = if nd <= 14 && a >= f64::MIN_POSITIVE {
        let exp: i32 = std::str::from_utf8(&text[e_pos + 1..])
            .ok()
            .and_then(|s| s.parse().ok())
            .expect("{:e} exponent is an integer");
        Decimal::from_ascii(&digits[..nd], exp + 1)
    } else {
        Decimal::from_f64(a)
    };
    dec.write_g(14, false, false, out);
}

fn write_u64(mut v: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// C's `isspace` in the C locale.
pub(crate) fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The bytes a C function sees of a Lua string: everything before the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    s.iter().position(|&c| c == 0).map_or(s, |i| &s[..i])
}

fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    i
}

fn starts_with_ci(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word)
}

/// Converts a string to a number exactly like Lua 5.1's `luaO_str2d` on glibc (used by
/// `tonumber(s)`, arithmetic coercion and the lexer's numerals).
///
/// Accepted, with optional surrounding C whitespace and nothing else: what glibc `strtod` accepts
/// — an optionally signed decimal (`5.`, `.5`, `1e-3`), hex float (`0x1F`, `0x1.8p3`, `-0x10`),
/// `inf`/`infinity`/`nan`/`nan(chars)` in any case. The string is cut at its first NUL, as C sees
/// it. 5.1's `strtoul` fallback for a trailing `x` can never succeed where glibc's `strtod`
/// stopped, so it is not needed. Decimal and hex conversions are correctly rounded; out-of-range
/// values give `±inf` or `±0` as `strtod` does.
pub fn parse_number(s: &[u8]) -> Option<f64> {
    let s = c_str(s);
    let (value, used) = strtod_prefix(s)?;
    if skip_spaces(s, used) != s.len() {
        return None;
    }
    Some(value)
}

/// glibc `strtod` on the longest valid prefix of `s` (leading C whitespace skipped): the value
/// and the bytes consumed, or `None` when no conversion is possible (`endptr == s`). The caller
/// cuts `s` at its first NUL if it wants C's view of the string.
pub fn strtod_prefix(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = skip_spaces(s, 0);
    let negative = match s.get(i) {
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
    let rest = &s[i..];
    let (value, used) = if starts_with_ci(rest, b"inf") {
        let used = if starts_with_ci(rest, b"infinity") {
            8
        } else {
            3
        };
        (f64::INFINITY, used)
    } else if starts_with_ci(rest, b"nan") {
        let mut used = 3;
        if rest.get(3) == Some(&b'(') {
            let inner = rest[4..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            if rest.get(4 + inner) == Some(&b')') {
                used = 5 + inner;
            }
        }
        (f64::NAN, used)
    } else if rest.len() >= 2
        && rest[0] == b'0'
        && (rest[1] | 0x20) == b'x'
        && (rest.get(2).is_some_and(u8::is_ascii_hexdigit)
            || (rest.get(2) == Some(&b'.') && rest.get(3).is_some_and(u8::is_ascii_hexdigit)))
    {
        let (v, used) = parse_hex_float(&rest[2..]);
        (v, used + 2)
    } else {
        parse_decimal(rest)?
    };
    Some((if negative { -value } else { value }, i + used))
}

/// Parses an unsigned decimal float at the start of `s`; returns the value and bytes consumed, or
/// `None` when there is no digit.
fn parse_decimal(s: &[u8]) -> Option<(f64, usize)> {
    let int_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = int_len;
    let mut frac: &[u8] = &[];
    if s.get(i) == Some(&b'.') {
        let frac_len = s[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        frac = &s[i + 1..i + 1 + frac_len];
        i += 1 + frac_len;
    }
    if int_len + frac.len() == 0 {
        return None;
    }
    let mut text = String::with_capacity(i + 24);
    text.push('0');
    text.push_str(std::str::from_utf8(&s[..int_len]).ok()?);
    text.push('.');
    text.push_str(std::str::from_utf8(frac).ok()?);
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_digits = s[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits > 0 {
            // Clamp absurd exponents: beyond ±99999 the result is 0 or inf whatever the digits.
            let mut exp: i64 = 0;
            for &c in &s[j..j + exp_digits] {
                exp = (exp * 10 + i64::from(c - b'0')).min(1_000_000_000);
            }
            if s[i + 1] == b'-' {
                exp = -exp;
            }
            text.push('e');
            text.push_str(&exp.to_string());
            i = j + exp_digits;
        }
    }
    Some((text.parse().ok()?, i))
}

/// Parses hex-float digits after `0x` (at least one hex digit is known to be present); returns the
/// correctly rounded (nearest, ties to even) value and the bytes consumed.
fn parse_hex_float(s: &[u8]) -> (f64, usize) {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut i = 0;
    let mut seen_point = false;
    while i < s.len() {
        let c = s[i];
        if c == b'.' && !seen_point {
            seen_point = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            if mant < 1 << 60 {
                mant = mant * 16 + u64::from(d);
                if seen_point {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !seen_point {
                    exp += 4;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let neg = match s.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let n = s[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 {
            let mut p: i64 = 0;
            for &c in &s[j..j + n] {
                p = (p * 10 + i64::from(c - b'0')).min(1_000_000_000);
            }
            exp += if neg { -p } else { p };
            i = j + n;
        }
    }
    (compose(mant, exp, sticky), i)
}

/// `mant · 2^exp` rounded to the nearest double (ties to even); `sticky` marks nonzero bits lost
/// below `mant`'s last bit.
fn compose(mant: u64, exp: i64, sticky: bool) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let bits = 64 - i64::from(mant.leading_zeros());
    if exp + bits - 1 > 1023 {
        return f64::INFINITY;
    }
    let lsb = (exp + bits - 53).max(-1074);
    let shift = lsb - exp;
    let mut q: u64 = if shift <= 0 {
        mant << -shift
    } else if shift > 100 {
        0
    } else {
        let m = u128::from(mant);
        let q = m >> shift;
        let rem = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = rem > half || (rem == half && (sticky || q & 1 == 1));
        (q + u128::from(up)) as u64
    };
    let mut lsb = lsb;
    if q == 1 << 53 {
        q >>= 1;
        lsb += 1;
    }
    if q >= 1 << 52 {
        let biased = lsb + 52 + 1023;
        if biased >= 2047 {
            return f64::INFINITY;
        }
        f64::from_bits(((biased as u64) << 52) | (q & ((1 << 52) - 1)))
    } else {
        f64::from_bits(q)
    }
}

/// `tonumber(s, base)` for `2 <= base <= 36` as Lua 5.1 computes it (the caller checks the range
/// and raises `base out of range`).
///
/// Base 10 uses the ordinary conversion ([`parse_number`]), as 5.1 does. Other bases follow glibc
/// `strtoul` on the C string (cut at the first NUL): leading whitespace, an optional sign, an
/// optional `0x` prefix in base 16, at least one digit (`0-9a-zA-Z` below `base`), then only
/// whitespace. A `-` negates modulo 2^64 and overflow saturates to 2^64-1, so the result is the
/// `unsigned long` converted to a double.
pub fn parse_integer_base(s: &[u8], base: u32) -> Option<f64> {
    debug_assert!((2..=36).contains(&base));
    if base == 10 {
        return parse_number(s);
    }
    let s = c_str(s);
    let mut i = skip_spaces(s, 0);
    let negative = match s.get(i) {
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
    if base == 16 && s.get(i) == Some(&b'0') && s.get(i + 1).is_some_and(|c| c | 0x20 == b'x') {
        i += 2;
    }
    let start = i;
    let mut value: u64 = 0;
    let mut overflow = false;
    while let Some(d) = s.get(i).and_then(|&c| (c as char).to_digit(base)) {
        match value
            .checked_mul(u64::from(base))
            .and_then(|v| v.checked_add(u64::from(d)))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start || skip_spaces(s, i) != s.len() {
        return None;
    }
    let n = if overflow {
        u64::MAX
    } else if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some(n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(n: f64) -> String {
        let mut out = Vec::new();
        format_number(n, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formats_like_lua51() {
        // Expectations from `lua5.1 -e 'print(...)'`.
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (-1.0, "-1"),
            (0.0, "0"),
            (-0.0, "-0"),
            (0.1, "0.1"),
            (1e15, "1e+15"),
            (1e100, "1e+100"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (std::f64::consts::PI, "3.1415926535898"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789012345.0, "1.2345678901234e+14"),
            (12345678901234.0, "12345678901234"),
            (99999999999999.0, "99999999999999"),
            (1234567890123456.0, "1.2345678901235e+15"),
            (9007199254740992.0, "9.007199254741e+15"),
            (9223372036854775808.0, "9.2233720368548e+18"),
            (-9223372036854775808.0, "-9.2233720368548e+18"),
            (1.0 / 3.0, "0.33333333333333"),
            (2.0 / 3.0, "0.66666666666667"),
            (100.0 / 3.0, "33.333333333333"),
            (0.1 + 0.2, "0.3"),
            (1e300 * 10.0, "1e+301"),
            (5e-324, "4.9406564584125e-324"),
            (f64::MAX, "1.7976931348623e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072e-308"),
            (3.5, "3.5"),
            (-2.25, "-2.25"),
            (123.456, "123.456"),
            (99999999999999.5, "1e+14"),
            (99999999999999.9, "1e+14"),
            (1e14, "1e+14"),
            (0.5, "0.5"),
            (2.5e-7, "2.5e-07"),
            (12345.678901234567, "12345.678901235"),
            (1e21, "1e+21"),
            (1.5e-310, "1.5e-310"),
        ];
        for &(n, want) in cases {
            assert_eq!(fmt(n), want, "formatting {n:e}");
        }
    }

    #[test]
    fn nan_sign() {
        assert_eq!(fmt(f64::NAN), "nan");
        assert_eq!(fmt(-f64::NAN), "-nan");
    }

    #[test]
    fn parses_like_lua51() {
        // Expectations from `lua5.1 -e 'print(tonumber(s))'`.
        let cases: &[(&[u8], Option<f64>)] = &[
            (b"inf", Some(f64::INFINITY)),
            (b"  0x10  ", Some(16.0)),
            (b"1e", None),
            (b"", None),
            (b"0x", None),
            (b".5", Some(0.5)),
            (b"5.", Some(5.0)),
            (b"infinity", Some(f64::INFINITY)),
            (b"-inf", Some(f64::NEG_INFINITY)),
            (b"INF", Some(f64::INFINITY)),
            (b"Infinity", Some(f64::INFINITY)),
            (b"infin", None),
            (b"infx", None),
            (b"0X1f", Some(31.0)),
            (b"-0x10", Some(-16.0)),
            (b"0x1p4", Some(16.0)),
            (b"0x1P-2", Some(0.25)),
            (b"0x1.8", Some(1.5)),
            (b"0x.8", Some(0.5)),
            (b"0x.1", Some(0.0625)),
            (b"0x1.", Some(1.0)),
            (b"0x1p", None),
            (b"0x1p+", None),
            (b"0xp1", None),
            (b"0x.p1", None),
            (b"-0x", None),
            (b"0x-1", None),
            (b"0x1g", None),
            (b"0X", None),
            (b"0x10p", None),
            (b"0xffffffffffffffffff", Some(4722366482869645213695.0)),
            (b"1e+", None),
            (b"1.5e-", None),
            (b"  12  ", Some(12.0)),
            (b" \t\n\x0b\x0c\r5\t\n\x0b\x0c\r", Some(5.0)),
            (b"12a", None),
            (b"1 2", None),
            (b"0x ", None),
            (b"+5", Some(5.0)),
            (b"+0x5", Some(5.0)),
            (b"-.5e2", Some(-50.0)),
            (b".", None),
            (b"e5", None),
            (b"-", None),
            (b"+", None),
            (b"- 1", None),
            (b"--1", None),
            (b"1.2.3", None),
            (b"1\0abc", Some(1.0)),
            (b"1E5", Some(100000.0)),
            (b"1e+05", Some(100000.0)),
            (b"1.e2", Some(100.0)),
            (b"1e400", Some(f64::INFINITY)),
            (b"1e-400", Some(0.0)),
            (b"4.9e-324", Some(5e-324)),
            (b"2.4703282292062328e-324", Some(5e-324)),
            (b"9007199254740993", Some(9007199254740992.0)),
            (b"1e99999999999999999999", Some(f64::INFINITY)),
            (b"0.1", Some(0.1)),
        ];
        for &(s, want) in cases {
            assert_eq!(
                parse_number(s),
                want,
                "parsing {:?}",
                String::from_utf8_lossy(s)
            );
        }
        assert!(parse_number(b"-1e-400").unwrap().is_sign_negative());
        for s in [
            &b"nan"[..],
            b" -nan",
            b"nan(abc)",
            b"nan()",
            b"nan(a_b)",
            b"NaN",
        ] {
            assert!(parse_number(s).unwrap().is_nan());
        }
        assert!(parse_number(b" -nan").unwrap().is_sign_negative());
        assert_eq!(parse_number(b"nan("), None);
    }

    #[test]
    fn hex_float_rounding() {
        // 2^53 + 1 rounds to even; 2^53 + 3 rounds up; sticky digits break ties upward.
        assert_eq!(parse_number(b"0x20000000000001"), Some(9007199254740992.0));
        assert_eq!(parse_number(b"0x20000000000003"), Some(9007199254740996.0));
        assert_eq!(
            parse_number(b"0x200000000000010000000001"),
            Some(9007199254740994.0 * 2f64.powi(40))
        );
        assert_eq!(parse_number(b"0x1p-1074"), Some(5e-324));
        assert_eq!(parse_number(b"0x1p-1075"), Some(0.0));
        assert_eq!(parse_number(b"0x1.8p-1075"), Some(5e-324));
        assert_eq!(parse_number(b"0x1p1024"), Some(f64::INFINITY));
        assert_eq!(parse_number(b"0x1.fffffffffffffp1023"), Some(f64::MAX));
        assert_eq!(
            parse_number(b"0x1.fffffffffffff8p1023"),
            Some(f64::INFINITY)
        );
    }

    #[test]
    fn parses_with_base_like_lua51() {
        // Expectations from `lua5.1 -e 'print(tonumber(s, base))'`.
        let max = 18446744073709551615.0;
        let cases: &[(&[u8], u32, Option<f64>)] = &[
            (b"ff", 16, Some(255.0)),
            (b"-ff", 16, Some(max)),
            (b"8", 8, None),
            (b"1 ", 2, Some(1.0)),
            (b"", 10, None),
            (b"", 16, None),
            (b"0x10", 16, Some(16.0)),
            (b"-1", 10, Some(-1.0)),
            (b"-1", 16, Some(max)),
            (b"ffffffffffffffff", 16, Some(max)),
            (b"10000000000000000", 16, Some(max)),
            (b"-10000000000000000", 16, Some(max)),
            (b" +z", 36, Some(35.0)),
            (b"Z", 36, Some(35.0)),
            (b"0x", 16, None),
            (b"1\0 2", 10, Some(1.0)),
            (b"1\0 2", 8, Some(1.0)),
            (b"  7  ", 8, Some(7.0)),
            (b"7\n", 8, Some(7.0)),
            (b"- 1", 10, None),
            (b"- 1", 2, None),
            (b"0x1", 10, Some(1.0)),
            (b"99999999999999999999", 10, Some(1e20)),
            (b"1.5", 10, Some(1.5)),
            (b"1.5", 8, None),
            (b"-2", 3, Some(18446744073709551614.0)),
            (b"1010", 2, Some(10.0)),
        ];
        for &(s, base, want) in cases {
            assert_eq!(
                parse_integer_base(s, base),
                want,
                "parsing {:?} in base {base}",
                String::from_utf8_lossy(s)
            );
        }
    }
}
