//! Numeral conversion with the semantics of Lua 5.1's `luaO_str2d` on glibc.
//!
//! Design: the lexer reads a numeral greedily (digits, dots, letters, underscores) and hands the
//! whole text here; like `strtod`, we accept decimal and C99 hexadecimal forms and fail unless the
//! entire text (up to trailing whitespace) is consumed, which is what makes `3x` or `3..2` malformed.

/// Converts a numeral the way Lua 5.1 does; `None` means "malformed number".
pub fn str2number(text: &[u8]) -> Option<f64> {
    let mut end = text.len();
    while end > 0 && is_space(text[end - 1]) {
        end -= 1;
    }
    let mut start = 0;
    while start < end && is_space(text[start]) {
        start += 1;
    }
    let s = &text[start..end];
    if s.is_empty() {
        return None;
    }
    let (negative, body) = match s[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let value = if body.len() > 2 && body[0] == b'0' && (body[1] | 0x20) == b'x' {
        hex_number(&body[2..])?
    } else {
        decimal_number(body)?
    };
    Some(if negative { -value } else { value })
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// `digits [. digits] [(e|E) [sign] digits]`, with at least one mantissa digit.
fn decimal_number(s: &[u8]) -> Option<f64> {
    let mut i = 0;
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - from
    };
    let mut mantissa_digits = digits(&mut i);
    if i < s.len() && s[i] == b'.' {
        i += 1;
        mantissa_digits += digits(&mut i);
    }
    if mantissa_digits == 0 {
        return None;
    }
    if i < s.len() && (s[i] | 0x20) == b'e' {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        if digits(&mut j) == 0 {
            return None;
        }
        i = j;
    }
    if i != s.len() {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    let normalized;
    let text = if text.starts_with('.') {
        normalized = format!("0{text}");
        normalized.as_str()
    } else {
        text
    };
    text.parse::<f64>().ok()
}

/// Hexadecimal digits after `0x`, with an optional fraction and binary exponent (`p`).
fn hex_number(s: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut value = 0.0f64;
    let mut exponent: i64 = 0;
    let mut any_digit = false;
    while i < s.len() && s[i].is_ascii_hexdigit() {
        value = value * 16.0 + f64::from(hex_value(s[i]));
        any_digit = true;
        i += 1;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        while i < s.len() && s[i].is_ascii_hexdigit() {
            value = value * 16.0 + f64::from(hex_value(s[i]));
            exponent -= 4;
            any_digit = true;
            i += 1;
        }
    }
    if !any_digit {
        return None;
    }
    if i < s.len() && (s[i] | 0x20) == b'p' {
        let mut j = i + 1;
        let mut negative = false;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            negative = s[j] == b'-';
            j += 1;
        }
        let from = j;
        let mut e: i64 = 0;
        while j < s.len() && s[j].is_ascii_digit() {
            e = (e * 10 + i64::from(s[j] - b'0')).min(100_000);
            j += 1;
        }
        if j == from {
            return None;
        }
        exponent += if negative { -e } else { e };
        i = j;
    }
    if i != s.len() {
        return None;
    }
    Some(value * 2f64.powi(exponent.clamp(-3000, 3000) as i32))
}

fn hex_value(c: u8) -> u32 {
    (c as char).to_digit(16).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::str2number;

    #[test]
    fn forms() {
        assert_eq!(str2number(b"3"), Some(3.0));
        assert_eq!(str2number(b".5"), Some(0.5));
        assert_eq!(str2number(b"5."), Some(5.0));
        assert_eq!(str2number(b"1e3"), Some(1000.0));
        assert_eq!(str2number(b"0x10"), Some(16.0));
        assert_eq!(str2number(b"0x1p4"), Some(16.0));
        assert_eq!(str2number(b"3x"), None);
        assert_eq!(str2number(b"3..2"), None);
        assert_eq!(str2number(b"1e"), None);
        assert_eq!(str2number(b"0x"), None);
    }
}
