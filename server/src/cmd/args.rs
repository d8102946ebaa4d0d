//! Argument helpers shared by all handlers: integer/float parsing with Redis's error texts, keyword
//! matching, and range normalisation. Key decision: parse everything before touching the keyspace, so
//! a handler that fails leaves no partial effect and no partial reply.

use super::errors::{CmdError, NOT_FLOAT, NOT_INT};
use crate::resp::parser::parse_i64;

/// Parses a 64-bit integer argument (`ERR value is not an integer or out of range`).
pub fn int(arg: &[u8]) -> Result<i64, CmdError> {
    parse_i64(arg).ok_or(NOT_INT)
}

/// Parses an integer argument, mapping failure to a custom error.
pub fn int_or(arg: &[u8], err: CmdError) -> Result<i64, CmdError> {
    parse_i64(arg).ok_or(err)
}

/// Parses a double argument like Redis's `getDoubleFromObject` (`ERR value is not a valid float`):
/// decimal or exponent forms and `inf`/`-inf`; no spaces, no NaN.
pub fn float(arg: &[u8]) -> Result<f64, CmdError> {
    parse_f64(arg).ok_or(NOT_FLOAT)
}

/// Parses a double like `strtod` over the whole argument; `None` for NaN, spaces or junk.
pub fn parse_f64(arg: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(arg).ok()?;
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    if v.is_nan() {
        return None;
    }
    Some(v)
}

/// Case-insensitive comparison of an argument with an ASCII keyword.
pub fn is(arg: &[u8], keyword: &str) -> bool {
    arg.eq_ignore_ascii_case(keyword.as_bytes())
}

/// Turns Redis-style `start`/`end` indexes (negative from the end) into a clamped inclusive range over
/// a sequence of `len` items; `None` when the range is empty.
pub fn range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut s = if start < 0 { len + start } else { start };
    let mut e = if end < 0 { len + end } else { end };
    if s < 0 {
        s = 0;
    }
    if s > e || s >= len {
        return None;
    }
    if e >= len {
        e = len - 1;
    }
    Some((s as usize, e as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing() {
        assert_eq!(int(b"-12").unwrap(), -12);
        assert!(int(b" 1").is_err());
        assert!(int(b"9223372036854775808").is_err());
        assert_eq!(float(b"1.5").unwrap(), 1.5);
        assert_eq!(float(b"-inf").unwrap(), f64::NEG_INFINITY);
        assert!(float(b"nan").is_err());
        assert_eq!(range(0, -1, 3), Some((0, 2)));
        assert_eq!(range(5, 10, 3), None);
        assert_eq!(range(-100, 1, 3), Some((0, 1)));
    }
}
