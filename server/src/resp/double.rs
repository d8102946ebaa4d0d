//! Number formatting shared by replies and string values: C's `%.17g` (what Redis 7.0 uses for double
//! replies) and the shortest human form used by `INCRBYFLOAT`/`HINCRBYFLOAT`. Key decision: derive both
//! from Rust's exact float formatting instead of linking libc's printf.

/// Formats `d` like C's `printf("%.17g", d)`, with `inf`/`-inf`/`nan` spelt as Redis does.
pub fn format_double(d: f64) -> String {
    // Fast path: an integral value below 1e17 prints as its exact integer digits under %.17g.
    if d.fract() == 0.0 && d.abs() < 1e17 && !(d == 0.0 && d.is_sign_negative()) {
        return (d as i64).to_string();
    }
    format_g(d, 17)
}

/// Formats `d` like C's `%.{precision}g`.
pub fn format_g(d: f64, precision: usize) -> String {
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if d.is_nan() {
        return "nan".into();
    }
    if d == 0.0 {
        return if d.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let p = precision.max(1);
    let sci = format!("{:.*e}", p - 1, d);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let m = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        strip_zeros(&format!("{:.*}", decimals, d)).to_string()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// The shortest decimal that reads back as `d`, never in exponent form (Redis's `LD_STR_HUMAN`).
pub fn format_human(d: f64) -> String {
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{d}");
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_printf_g17() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(0.1), "0.10000000000000001");
        assert_eq!(format_double(1e20), "1e+20");
        assert_eq!(format_double(123456.0), "123456");
        assert_eq!(format_double(1e-5), "1.0000000000000001e-05");
        assert_eq!(format_double(-2.0), "-2");
        assert_eq!(format_double(-0.0), "-0");
        assert_eq!(format_double(99999999999999984.0), "99999999999999984");
        assert_eq!(format_double(1e17), "1e+17");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_human(10.6), "10.6");
        assert_eq!(format_human(3.0), "3");
    }
}
