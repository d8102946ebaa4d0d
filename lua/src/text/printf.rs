//! The engine of Lua 5.1's `string.format`: format-string scanning with 5.1's limits and error
//! texts, and per-conversion rendering identical to glibc `sprintf` for the conversions 5.1 allows
//! (`%c %d %i %o %u %x %X %e %E %f %g %G %q %s`).
//!
//! Key design decision: the VM drives the loop and converts arguments itself (it owns the error
//! messages about arguments), calling one function per conversion with an already-converted value;
//! the C casts 5.1 applies to numbers (`(long)`, `(unsigned long)`, `(int)` on x86-64) are exposed
//! as pure helpers. Floating point goes through the exact big-decimal expansion of `decimal.rs`, so
//! every precision (up to 99) is correctly rounded like glibc.

use std::fmt;

use super::decimal::Decimal;

/// A parsed conversion specification: `%[flags][width][.precision]conv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// `-`: left-justify within the width.
    pub minus: bool,
    /// `+`: always print a sign for signed conversions.
    pub plus: bool,
    /// ` `: print a space where a `+` sign would go.
    pub space: bool,
    /// `#`: alternate form (`0x` prefix, leading `0` for octal, always a decimal point).
    pub alt: bool,
    /// `0`: pad numbers with zeros after the sign instead of spaces.
    pub zero: bool,
    /// Minimum field width (at most 2 digits, so 0..=99).
    pub width: usize,
    /// Precision if a `.` was given (`.` alone means 0), at most 99.
    pub precision: Option<usize>,
    /// The conversion character, one of `cdiouxXeEfgGqs`.
    pub conv: u8,
}

/// What kind of argument a conversion takes, and how the VM should convert it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// `%c`: a number, cast with [`c_int`], rendered by [`format_char`].
    Char,
    /// `%d %i`: a number, cast with [`c_long`], rendered by [`format_signed`].
    Signed,
    /// `%o %u %x %X`: a number, cast with [`c_ulong`], rendered by [`format_unsigned`].
    Unsigned,
    /// `%e %E %f %g %G`: a number, rendered by [`format_float`].
    Float,
    /// `%q`: a string (numbers converted with `tostring` rules), rendered by [`format_quoted`].
    Quoted,
    /// `%s`: a string (numbers converted with `tostring` rules), rendered by [`format_str`].
    Str,
}

impl Spec {
    /// The kind of argument this conversion consumes.
    pub fn kind(&self) -> ArgKind {
        match self.conv {
            b'c' => ArgKind::Char,
            b'd' | b'i' => ArgKind::Signed,
            b'o' | b'u' | b'x' | b'X' => ArgKind::Unsigned,
            b'e' | b'E' | b'f' | b'g' | b'G' => ArgKind::Float,
            b'q' => ArgKind::Quoted,
            _ => ArgKind::Str,
        }
    }
}

/// A malformed conversion specification, with Lua 5.1's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatError {
    /// Six or more flag characters: `invalid format (repeated flags)`.
    RepeatedFlags,
    /// A third digit in width or precision: `invalid format (width or precision too long)`.
    TooLong,
    /// An unknown conversion character (NUL when the format ends after the flags):
    /// `invalid option '%y' to 'format'`.
    InvalidOption(u8),
}

impl FormatError {
    /// The exact error message bytes (the option byte may be any byte; a NUL one is omitted, as
    /// 5.1's `lua_pushfstring("%c", 0)` does).
    pub fn message(&self) -> Vec<u8> {
        match self {
            FormatError::RepeatedFlags => b"invalid format (repeated flags)".to_vec(),
            FormatError::TooLong => b"invalid format (width or precision too long)".to_vec(),
            FormatError::InvalidOption(c) => {
                let mut m = b"invalid option '%".to_vec();
                if *c != 0 {
                    m.push(*c);
                }
                m.extend_from_slice(b"' to 'format'");
                m
            }
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

impl std::error::Error for FormatError {}

/// One piece of a format string, as yielded by [`pieces`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Bytes to copy verbatim (`%%` yields a literal `%`).
    Literal(&'a [u8]),
    /// A conversion: consumes one argument. Lua 5.1 reports a missing argument (`bad argument #n
    /// to 'format' (no value)`) *before* a malformed specification, so the caller should check
    /// the argument first and only then propagate the error.
    Conversion(Result<Spec, FormatError>),
}

/// Iterator over the pieces of a format string; stops after the first error.
#[derive(Debug, Clone)]
pub struct Pieces<'a> {
    fmt: &'a [u8],
    pos: usize,
}

/// Splits a `string.format` format string into literal runs and conversions.
pub fn pieces(fmt: &[u8]) -> Pieces<'_> {
    Pieces { fmt, pos: 0 }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let rest = &self.fmt[self.pos..];
        if rest.is_empty() {
            return None;
        }
        if rest[0] != b'%' {
            let n = rest.iter().position(|&c| c == b'%').unwrap_or(rest.len());
            self.pos += n;
            return Some(Piece::Literal(&rest[..n]));
        }
        if rest.get(1) == Some(&b'%') {
            self.pos += 2;
            return Some(Piece::Literal(&rest[1..2]));
        }
        match parse_spec(&rest[1..]) {
            Ok((spec, used)) => {
                self.pos += 1 + used;
                Some(Piece::Conversion(Ok(spec)))
            }
            Err(e) => {
                self.pos = self.fmt.len();
                Some(Piece::Conversion(Err(e)))
            }
        }
    }
}

/// Parses a conversion specification from the bytes following a `%` (which must not be `%%`),
/// like 5.1's `scanformat`: up to five flag characters, up to two width digits, an optional `.`
/// with up to two precision digits, then the conversion character. Returns the spec and the number
/// of bytes consumed, including the conversion character.
pub fn parse_spec(s: &[u8]) -> Result<(Spec, usize), FormatError> {
    let mut spec = Spec {
        minus: false,
        plus: false,
        space: false,
        alt: false,
        zero: false,
        width: 0,
        precision: None,
        conv: 0,
    };
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        match c {
            b'-' => spec.minus = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            b'0' => spec.zero = true,
            _ => break,
        }
        i += 1;
    }
    if i >= 6 {
        return Err(FormatError::RepeatedFlags);
    }
    let digit = |i: usize| {
        s.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| usize::from(c - b'0'))
    };
    for _ in 0..2 {
        if let Some(d) = digit(i) {
            spec.width = spec.width * 10 + d;
            i += 1;
        }
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        let mut p = 0;
        for _ in 0..2 {
            if let Some(d) = digit(i) {
                p = p * 10 + d;
                i += 1;
            }
        }
        spec.precision = Some(p);
    }
    if digit(i).is_some() {
        return Err(FormatError::TooLong);
    }
    let conv = s.get(i).copied().unwrap_or(0);
    if !b"cdiouxXeEfgGqs".contains(&conv) {
        return Err(FormatError::InvalidOption(conv));
    }
    spec.conv = conv;
    Ok((spec, i + 1))
}

/// C's `(long)d` on x86-64 (`cvttsd2si`): truncation toward zero; NaN and out-of-range values
/// give `i64::MIN`. Used by 5.1 for `%d` and `%i`.
pub fn c_long(d: f64) -> i64 {
    if (-9223372036854775808.0..9223372036854775808.0).contains(&d) {
        d as i64
    } else {
        i64::MIN
    }
}

/// C's `(unsigned long)d` as gcc compiles it on x86-64: values below 2^63 (and NaN) go through
/// [`c_long`] and are reinterpreted (so `-1` gives `2^64-1`), larger ones are converted as
/// `(long)(d - 2^63) ^ 2^63` (so `2^64` and `inf` give 0). Used by 5.1 for `%o %u %x %X`.
pub fn c_ulong(d: f64) -> u64 {
    if d >= 9223372036854775808.0 {
        (c_long(d - 9223372036854775808.0) as u64) ^ (1 << 63)
    } else {
        c_long(d) as u64
    }
}

/// C's `(int)d` on x86-64: truncation toward zero; NaN and out-of-range values give `i32::MIN`.
/// Used by 5.1 for `%c` (which then prints the low byte).
pub fn c_int(d: f64) -> i32 {
    if d > -2147483649.0 && d < 2147483648.0 {
        d as i32
    } else {
        i32::MIN
    }
}

/// Appends `body` (preceded by `prefix`, e.g. a sign or `0x`) padded to the spec's width: on the
/// right with `-`, with zeros between prefix and body when `zero_pad`, else with spaces on the left.
fn pad(spec: &Spec, prefix: &[u8], body: &[u8], zero_pad: bool, out: &mut Vec<u8>) {
    let len = prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if spec.minus {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.extend(std::iter::repeat_n(b' ', fill));
    } else if zero_pad {
        out.extend_from_slice(prefix);
        out.extend(std::iter::repeat_n(b'0', fill));
        out.extend_from_slice(body);
    } else {
        out.extend(std::iter::repeat_n(b' ', fill));
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// Digits of `v` in `radix` (8, 10 or 16), extended with leading zeros to the precision; an
/// explicit zero precision prints no digits for zero.
fn int_digits(spec: &Spec, mut v: u64, radix: u64, upper: bool) -> Vec<u8> {
    let table: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut digits = Vec::with_capacity(24);
    while v != 0 {
        digits.push(table[(v % radix) as usize]);
        v /= radix;
    }
    let min = spec.precision.unwrap_or(1);
    while digits.len() < min {
        digits.push(b'0');
    }
    digits.reverse();
    digits
}

/// Renders `%d`/`%i` of `v` (already cast with [`c_long`]) exactly like glibc.
pub fn format_signed(spec: &Spec, v: i64, out: &mut Vec<u8>) {
    let sign: &[u8] = if v < 0 {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    let digits = int_digits(spec, v.unsigned_abs(), 10, false);
    pad(
        spec,
        sign,
        &digits,
        spec.zero && spec.precision.is_none(),
        out,
    );
}

/// Renders `%o %u %x %X` of `v` (already cast with [`c_ulong`]) exactly like glibc: `+` and space
/// are ignored, `#` adds `0x`/`0X` to nonzero hex values and a leading `0` to octal.
pub fn format_unsigned(spec: &Spec, v: u64, out: &mut Vec<u8>) {
    let (radix, upper) = match spec.conv {
        b'o' => (8, false),
        b'x' => (16, false),
        b'X' => (16, true),
        _ => (10, false),
    };
    let mut digits = int_digits(spec, v, radix, upper);
    let mut prefix: &[u8] = b"";
    if spec.alt {
        match spec.conv {
            b'o' if digits.first() != Some(&b'0') => digits.insert(0, b'0'),
            b'x' if v != 0 => prefix = b"0x",
            b'X' if v != 0 => prefix = b"0X",
            _ => {}
        }
    }
    pad(
        spec,
        prefix,
        &digits,
        spec.zero && spec.precision.is_none(),
        out,
    );
}

/// Renders `%c` of the byte `c` (the low byte of [`c_int`]'s result) padded with spaces. As in
/// 5.1, which appends `strlen` of the `sprintf` buffer, output stops at a NUL byte: `%c` of 0
/// gives only the padding before it.
pub fn format_char(spec: &Spec, c: u8, out: &mut Vec<u8>) {
    if c == 0 {
        if !spec.minus {
            out.extend(std::iter::repeat_n(b' ', spec.width.saturating_sub(1)));
        }
        return;
    }
    pad(spec, b"", &[c], false, out);
}

/// Renders `%s` of `s` like 5.1: without a precision, a string of 100 bytes or more is copied
/// whole (width ignored, NULs kept); otherwise `sprintf` sees it as a C string (cut at the first
/// NUL), truncated to the precision and padded with spaces to the width.
pub fn format_str(spec: &Spec, s: &[u8], out: &mut Vec<u8>) {
    if spec.precision.is_none() && s.len() >= 100 {
        out.extend_from_slice(s);
        return;
    }
    let mut body = s.iter().position(|&c| c == 0).map_or(s, |i| &s[..i]);
    if let Some(p) = spec.precision {
        body = &body[..body.len().min(p)];
    }
    pad(spec, b"", body, false, out);
}

/// Renders `%q` of `s` like 5.1's `addquoted` (flags, width and precision are ignored): in double
/// quotes, with `"`, `\` and newline escaped by a backslash, `\r` as `\r`, NUL as `\000`, and every
/// other byte verbatim.
pub fn format_quoted(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' | b'\\' | b'\n' => out.extend_from_slice(&[b'\\', c]),
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\000"),
            _ => out.push(c),
        }
    }
    out.push(b'"');
}

/// Renders `%e %E %f %g %G` of `v` exactly like glibc (correctly rounded, round-half-even on the
/// exact binary value; default precision 6). Infinities and NaNs print as `inf`/`nan` (`INF`/`NAN`
/// for `E`/`G`) with their sign, padded with spaces even with the `0` flag.
pub fn format_float(spec: &Spec, v: f64, out: &mut Vec<u8>) {
    let upper = matches!(spec.conv, b'E' | b'G');
    let sign: &[u8] = if v.is_sign_negative() {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    let a = v.abs();
    if !a.is_finite() {
        let body: &[u8] = match (a.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        pad(spec, sign, body, false, out);
        return;
    }
    let prec = spec.precision.unwrap_or(6);
    let dec = Decimal::from_f64(a);
    let mut body = Vec::with_capacity(prec + 24);
    match spec.conv {
        b'f' => dec.write_f(prec, spec.alt, &mut body),
        b'e' | b'E' => dec.write_e(prec, upper, spec.alt, &mut body),
        _ => dec.write_g(prec, upper, spec.alt, &mut body),
    }
    pad(spec, sign, &body, spec.zero, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A miniature `string.format` over already-typed arguments, for testing.
    enum Arg<'a> {
        N(f64),
        S(&'a [u8]),
    }

    fn format(fmt: &str, args: &[Arg]) -> Result<String, String> {
        let mut out = Vec::new();
        let mut args = args.iter();
        for piece in pieces(fmt.as_bytes()) {
            match piece {
                Piece::Literal(b) => out.extend_from_slice(b),
                Piece::Conversion(spec) => {
                    let arg = args.next().ok_or("no value")?;
                    let spec = spec.map_err(|e| e.to_string())?;
                    match (spec.kind(), arg) {
                        (ArgKind::Char, Arg::N(n)) => format_char(&spec, c_int(*n) as u8, &mut out),
                        (ArgKind::Signed, Arg::N(n)) => format_signed(&spec, c_long(*n), &mut out),
                        (ArgKind::Unsigned, Arg::N(n)) => {
                            format_unsigned(&spec, c_ulong(*n), &mut out)
                        }
                        (ArgKind::Float, Arg::N(n)) => format_float(&spec, *n, &mut out),
                        (ArgKind::Quoted, Arg::S(s)) => format_quoted(s, &mut out),
                        (ArgKind::Str, Arg::S(s)) => format_str(&spec, s, &mut out),
                        _ => return Err("bad argument".into()),
                    }
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn n(fmt: &str, v: f64) -> String {
        format(fmt, &[Arg::N(v)]).unwrap()
    }

    fn s(fmt: &str, v: &[u8]) -> String {
        format(fmt, &[Arg::S(v)]).unwrap()
    }

    fn err(fmt: &str) -> String {
        format(fmt, &[Arg::N(1.0)]).unwrap_err()
    }

    #[test]
    fn integer_casts_like_lua51_on_x86_64() {
        // Expectations from lua5.1 on Debian x86-64.
        let nan = f64::NAN;
        let inf = f64::INFINITY;
        let two63 = 2f64.powi(63);
        let two64 = 2f64.powi(64);
        assert_eq!(n("%d", 3.7), "3");
        assert_eq!(n("%d", -3.7), "-3");
        assert_eq!(n("%d", -1.0), "-1");
        assert_eq!(n("%x", -1.0), "ffffffffffffffff");
        for v in [two63, -two63, two64, nan, inf] {
            assert_eq!(n("%d", v), "-9223372036854775808");
        }
        assert_eq!(n("%x", two63), "8000000000000000");
        assert_eq!(n("%x", two64), "0");
        assert_eq!(n("%x", two64 + 4096.0), "0");
        assert_eq!(n("%x", nan), "8000000000000000");
        assert_eq!(n("%x", inf), "0");
        assert_eq!(n("%x", -inf), "8000000000000000");
        assert_eq!(n("%x", -two63), "8000000000000000");
        assert_eq!(n("%x", -two64), "8000000000000000");
        assert_eq!(n("%x", -(2f64.powi(70))), "8000000000000000");
        assert_eq!(n("%u", -3.5), "18446744073709551613");
        assert_eq!(n("%x", two63 + 2048.0), "8000000000000800");
        assert_eq!(n("%i", 42.0), "42");
    }

    #[test]
    fn chars_and_strings_like_lua51() {
        assert_eq!(n("%c", 0.0), "");
        assert_eq!(n("%5c", 0.0), "    ");
        assert_eq!(n("%-5c", 0.0), "");
        assert_eq!(n("%c", 321.0), "A");
        assert_eq!(n("%c", 2f64.powi(40)), "");
        assert_eq!(n("%c", -191.0), "A");
        assert_eq!(n("%05c", 65.0), "    A");
        assert_eq!(n("[%-3c]", 66.0), "[B  ]");
        assert_eq!(s("%05s", b"ab"), "   ab");
        assert_eq!(s("%s", b"a\0b"), "a");
        assert_eq!(s("%5s", b"a\0b"), "    a");
        assert_eq!(s("%-5s|", b"ab"), "ab   |");
        assert_eq!(s("%.2s", b"abc"), "ab");
        assert_eq!(s("%.s", b"abc"), "");
        let long = b"a\0".repeat(60);
        let mut out = Vec::new();
        format_str(&parse_spec(b"s").unwrap().0, &long, &mut out);
        assert_eq!(out, long);
        out.clear();
        format_str(&parse_spec(b"99.99s").unwrap().0, &long, &mut out);
        assert_eq!(out, [&[b' '; 98][..], b"a"].concat());
    }

    #[test]
    fn quoted_like_lua51() {
        let mut out = Vec::new();
        format_quoted(b"a\"\\\n\r\0b\x01\xff", &mut out);
        assert_eq!(out, b"\"a\\\"\\\\\\\n\\r\\000b\x01\xff\"");
        assert_eq!(s("%10q", b"x"), "\"x\"");
    }

    #[test]
    fn spec_errors_like_lua51() {
        assert_eq!(err("%------d"), "invalid format (repeated flags)");
        assert_eq!(n("%-----d", 1.0), "1");
        assert_eq!(err("%100d"), "invalid format (width or precision too long)");
        assert_eq!(
            err("%.100d"),
            "invalid format (width or precision too long)"
        );
        assert_eq!(n("%10.10d", 1.0), "0000000001");
        assert_eq!(err("%l"), "invalid option '%l' to 'format'");
        assert_eq!(err("%5.3"), "invalid option '%' to 'format'");
        assert_eq!(err("%y"), "invalid option '%y' to 'format'");
        assert_eq!(
            FormatError::InvalidOption(0xff).message(),
            b"invalid option '%\xff' to 'format'"
        );
        assert_eq!(format("100%%", &[]).unwrap(), "100%");
        assert_eq!(format("%", &[]).unwrap_err(), "no value");
        assert_eq!(
            format("a%db%sc", &[Arg::N(1.0), Arg::S(b"x")]).unwrap(),
            "a1bxc"
        );
    }

    #[test]
    fn integer_flags_like_glibc() {
        assert_eq!(n("%#x", 0.0), "0");
        assert_eq!(n("%#o", 0.0), "0");
        assert_eq!(n("%#.0o", 0.0), "0");
        assert_eq!(n("%.0d", 0.0), "");
        assert_eq!(n("%+.0d", 0.0), "+");
        assert_eq!(n("% d", 5.0), " 5");
        assert_eq!(n("%+ d", 5.0), "+5");
        assert_eq!(n("%#X", 255.0), "0XFF");
        assert_eq!(n("%-#8x|", 255.0), "0xff    |");
        assert_eq!(n("%08.3d", 5.0), "     005");
        assert_eq!(n("%-08d", 5.0), "5       ");
        assert_eq!(n("%+u", 5.0), "5");
        assert_eq!(n("%-05d", 3.0), "3    ");
        assert_eq!(n("%+x", 5.0), "5");
        assert_eq!(n("% o", 5.0), "5");
        assert_eq!(n("%#08x", 255.0), "0x0000ff");
        assert_eq!(n("%#8.3o", 8.0), "     010");
        assert_eq!(n("%.3x", 10.0), "00a");
        assert_eq!(n("%05d", -42.0), "-0042");
        assert_eq!(n("%o", 8.0), "10");
    }

    #[test]
    fn floats_like_glibc() {
        assert_eq!(n("%5.1f", f64::NAN), "  nan");
        assert_eq!(n("%5.1f", -f64::NAN), " -nan");
        assert_eq!(n("%05f", f64::INFINITY), "  inf");
        assert_eq!(n("%+f", f64::NAN), "+nan");
        assert_eq!(n("%E", f64::INFINITY), "INF");
        assert_eq!(n("%G", -f64::NAN), "-NAN");
        assert_eq!(n("%#.0f", 3.0), "3.");
        assert_eq!(n("%#.0e", 3.0), "3.e+00");
        assert_eq!(n("%#g", 3.0), "3.00000");
        assert_eq!(n("%g", 1e-5), "1e-05");
        assert_eq!(n("%.3g", 1234567.0), "1.23e+06");
        assert_eq!(n("%010.3e", -12.5), "-1.250e+01");
        assert_eq!(n("%-10g|", 0.5), "0.5       |");
        assert_eq!(n("%+05.1f", -0.0), "-00.0");
        assert_eq!(n("% 05.1f", 1.0), " 01.0");
        assert_eq!(n("%05.1f", -1.5), "-01.5");
        assert_eq!(n("%-+7.2e", 12.0), "+1.20e+01");
        assert_eq!(n("%#5.0g", 0.0), "   0.");
        assert_eq!(n("%+.0e", 0.0), "+0e+00");
        assert_eq!(n("%#.3g", 100.0), "100.");
        assert_eq!(n("%#.0g", 0.5), "0.5");
        assert_eq!(n("%f", 0.1), "0.100000");
        assert_eq!(n("%.0f", 0.5), "0");
        assert_eq!(n("%.0f", 1.5), "2");
        assert_eq!(n("%.0f", 2.5), "2");
        assert_eq!(n("%.1f", 0.25), "0.2");
        assert_eq!(n("%.2f", 0.125), "0.12");
        assert_eq!(n("%.2f", 0.375), "0.38");
        assert_eq!(n("%.3e", 1e-310), "1.000e-310");
        assert_eq!(n("%e", 1e300), "1.000000e+300");
        assert_eq!(n("%G", 1e-20), "1E-20");
        assert_eq!(
            n("%.99f", 1e300),
            "1000000000000000052504760255204420248704468581108159154915854115511802457988908195\
             7863713750804478640437044438328838781769425232353604305756447921847867069828483872\
             0092657580373783023379478809005936895323497079994508111903896764088007465274278014\
             2494579258788820056842838115669472196386865459400540160.\
             000000000000000000000000000000000000000000000000000000000000000000000000000000000\
             000000000000000000"
        );
        assert_eq!(
            n("%.99e", 0.1),
            "1.000000000000000055511151231257827021181583404541015625000000000000000000000000\
             000000000000000000000e-01"
        );
        assert_eq!(
            n("%99.99g", 1.0 / 3.0),
            "                                           \
             0.333333333333333314829616256247390992939472198486328125"
        );
    }
}
