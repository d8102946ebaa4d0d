//! How the debugger shows things, byte for byte as Redis's LDB: Lua values (`ldbCatStackValue`:
//! strings quoted like `sdscatrepr`, numbers in `%g`, tables as `{1; 2}` or `{["k"]=v}` ten levels
//! deep, other objects as `"function@0x..."`) and command replies (`ldbRedisProtocolToHuman`:
//! `"bulk"`, `"+OK"`, `[a,b]`, `{k => v}`, `~(a,b)`, `(null)`, `(double) 1.5`...).
//! Key decision: replies are read from the RESP bytes the command wrote, as Redis does, so RESP2
//! and RESP3 replies (after `redis.setresp(3)`) are shown as Redis shows them.

use crate::cmd::monitor::push_repr;
use ferrous_lua::text::printf::{format_float, parse_spec};
use ferrous_lua::Value;

/// Nesting depth at which a table is no longer expanded (`LUA_MINSTACK / 2`).
const MAX_DEPTH: usize = 10;

/// Appends `v` as `ldbCatStackValue` shows it.
pub fn cat_value(out: &mut Vec<u8>, v: Value<'_>) {
    cat_value_rec(out, v, 0);
}

fn cat_value_rec(out: &mut Vec<u8>, v: Value<'_>, level: usize) {
    if level == MAX_DEPTH {
        out.extend_from_slice(b"<max recursion level reached! Nested table?>");
        return;
    }
    let level = level + 1;
    match v {
        Value::String(s) => push_repr(out, s.as_bytes()),
        Value::Boolean(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Value::Number(n) => cat_g(out, n),
        Value::Nil => out.extend_from_slice(b"nil"),
        Value::Table(t) => {
            let mut array = Vec::new();
            let mut full = Vec::new();
            let mut is_array = true;
            let mut expected = 1.0;
            let mut key = Value::Nil;
            while let Ok(Some((k, val))) = t.next(key) {
                if is_array && !matches!(k, Value::Number(n) if n == expected) {
                    is_array = false;
                }
                cat_value_rec(&mut array, val, level);
                array.extend_from_slice(b"; ");
                full.push(b'[');
                cat_value_rec(&mut full, k, level);
                full.extend_from_slice(b"]=");
                cat_value_rec(&mut full, val, level);
                full.extend_from_slice(b"; ");
                expected += 1.0;
                key = k;
            }
            let chosen = if is_array { array } else { full };
            out.push(b'{');
            out.extend_from_slice(&chosen[..chosen.len().saturating_sub(2)]);
            out.push(b'}');
        }
        other => {
            let name = match other {
                Value::UserData(_) => "userdata",
                Value::Thread(_) => "thread",
                _ => "function",
            };
            let ptr = other.as_ptr().unwrap_or(std::ptr::null());
            out.extend_from_slice(format!("\"{name}@{ptr:p}\"").as_bytes());
        }
    }
}

/// C's `%g`.
fn cat_g(out: &mut Vec<u8>, n: f64) {
    if let Ok((spec, _)) = parse_spec(b"g") {
        format_float(&spec, n, out);
    }
}

/// Appends the reply at `*pos` of `reply` in human form (`ldbRedisProtocolToHuman`); leaves `*pos`
/// after it. A type Redis does not know (verbatim, big number, attribute, push) appends nothing
/// and does not advance, as in Redis.
pub fn reply_to_human(out: &mut Vec<u8>, reply: &[u8], pos: &mut usize) {
    let Some(&kind) = reply.get(*pos) else {
        return;
    };
    let start = *pos;
    let line_end = find_cr(reply, start + 1);
    let header = &reply[(start + 1).min(line_end)..line_end];
    let after = (line_end + 2).min(reply.len());
    let count = || atoi(header);
    match kind {
        b':' => {
            out.extend_from_slice(header);
            *pos = after;
        }
        b'$' => {
            let len = count();
            if len < 0 {
                out.extend_from_slice(b"NULL");
                *pos = after;
            } else {
                let end = (after + len as usize).min(reply.len());
                push_repr(out, &reply[after..end]);
                *pos = (end + 2).min(reply.len());
            }
        }
        b'+' | b'-' => {
            push_repr(out, &reply[start..line_end]);
            *pos = after;
        }
        b'*' => {
            *pos = after;
            if count() == -1 {
                out.extend_from_slice(b"NULL");
                return;
            }
            aggregate(out, reply, pos, count(), b"[", b"]", false);
        }
        b'~' => {
            *pos = after;
            aggregate(out, reply, pos, count(), b"~(", b")", false);
        }
        b'%' => {
            *pos = after;
            aggregate(out, reply, pos, count(), b"{", b"}", true);
        }
        b'_' => {
            out.extend_from_slice(b"(null)");
            *pos = after;
        }
        b'#' => {
            let t = header.first() == Some(&b't');
            out.extend_from_slice(if t { b"#true" } else { b"#false" });
            *pos = after;
        }
        b',' => {
            out.extend_from_slice(b"(double) ");
            out.extend_from_slice(header);
            *pos = after;
        }
        _ => {}
    }
}

fn aggregate(
    out: &mut Vec<u8>,
    reply: &[u8],
    pos: &mut usize,
    n: i64,
    open: &[u8],
    close: &[u8],
    pairs: bool,
) {
    out.extend_from_slice(open);
    for j in 0..n.max(0) {
        reply_to_human(out, reply, pos);
        if pairs {
            out.extend_from_slice(b" => ");
            reply_to_human(out, reply, pos);
        }
        if j != n - 1 {
            out.push(b',');
        }
    }
    out.extend_from_slice(close);
}

/// Every error in a reply, as the `-CODE message` lines Redis logs (`<error> ...`) while it
/// converts the reply for Lua.
pub fn reply_errors(reply: &[u8]) -> Vec<Vec<u8>> {
    let mut errors = Vec::new();
    let mut pos = 0;
    while pos < reply.len() {
        let end = find_cr(reply, pos);
        match reply[pos] {
            b'-' => errors.push(reply[pos..end].to_vec()),
            b'$' | b'=' | b'!' => {
                let len = atoi(&reply[(pos + 1).min(end)..end]);
                if len > 0 {
                    pos = (end + 2 + len as usize).min(reply.len());
                    continue;
                }
            }
            _ => {}
        }
        pos = end + 2;
    }
    errors
}

/// Index of the next `\r` at or after `from` (the end of `buf` when there is none).
fn find_cr(buf: &[u8], from: usize) -> usize {
    let from = from.min(buf.len());
    buf[from..]
        .iter()
        .position(|&b| b == b'\r')
        .map_or(buf.len(), |i| from + i)
}

/// C's `atoi`: leading blanks, an optional sign, then digits up to the first non-digit (0 when
/// there are none).
pub fn atoi(s: &[u8]) -> i64 {
    let mut i = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
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
    let mut n: i64 = 0;
    for &b in s[i.min(s.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
    {
        n = n.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
    }
    if negative {
        -n
    } else {
        n
    }
}

/// Redis's `string2l`: a plain decimal integer (no sign but `-`, no leading zeros, no spaces).
pub fn string2l(s: &[u8]) -> Option<i64> {
    if s == b"0" {
        return Some(0);
    }
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    if !matches!(digits.first(), Some(b'1'..=b'9')) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn human(reply: &[u8]) -> String {
        let mut out = Vec::new();
        reply_to_human(&mut out, reply, &mut 0);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn replies_read_as_redis_shows_them() {
        assert_eq!(human(b"$3\r\nbar\r\n"), "\"bar\"");
        assert_eq!(human(b"$-1\r\n"), "NULL");
        assert_eq!(human(b"+OK\r\n"), "\"+OK\"");
        assert_eq!(human(b"-ERR x\r\n"), "\"-ERR x\"");
        assert_eq!(human(b":24\r\n"), "24");
        assert_eq!(human(b"*2\r\n$1\r\na\r\n:1\r\n"), "[\"a\",1]");
        assert_eq!(human(b"*0\r\n"), "[]");
        assert_eq!(human(b"%1\r\n$1\r\na\r\n$1\r\n1\r\n"), "{\"a\" => \"1\"}");
        assert_eq!(human(b"~2\r\n$1\r\nb\r\n$1\r\na\r\n"), "~(\"b\",\"a\")");
        assert_eq!(human(b"_\r\n"), "(null)");
        assert_eq!(human(b",1.5\r\n"), "(double) 1.5");
        assert_eq!(human(b"#t\r\n"), "#true");
    }

    #[test]
    fn errors_inside_replies_are_found() {
        let errors = reply_errors(b"*2\r\n$4\r\n-ERR\r\n-ERR x\r\n");
        assert_eq!(errors, vec![b"-ERR x".to_vec()]);
    }

    #[test]
    fn integers_parse_like_c() {
        assert_eq!(atoi(b" 12x"), 12);
        assert_eq!(atoi(b"-5"), -5);
        assert_eq!(atoi(b"x"), 0);
        assert_eq!(string2l(b"-9"), Some(-9));
        assert_eq!(string2l(b"09"), None);
        assert_eq!(string2l(b"-0"), None);
        assert_eq!(string2l(b"x"), None);
    }
}
