//! The `FUNCTION DUMP` payload as Redis writes it: one RDB `FUNCTION2` record (opcode 245 and the
//! library code as an RDB string) per library, then the RDB version (2 bytes, little endian) and
//! the CRC64 (Jones polynomial, as Redis's `crc64`) of everything before it. Library code is
//! written LZF-compressed as redis-server writes it (`rdbcompression`), and read compressed or
//! not.

/// `RDB_OPCODE_FUNCTION2`.
pub const OPCODE_FUNCTION2: u8 = 245;
/// The RDB version Redis 7.0 writes.
const RDB_VERSION: u16 = 10;

/// Appends `s` as an RDB string, as Redis's `rdbSaveRawString` does: an integer encoding when `s`
/// is the canonical text of a small integer, else LZF-compressed when `compress`
/// (`rdbcompression`), it is over 20 bytes and compression saves at least 4, else length-prefixed.
pub fn put_string(out: &mut Vec<u8>, s: &[u8], compress: bool) {
    if s.len() <= 11 && put_int(out, s) {
        return;
    }
    if compress && s.len() > 20 {
        if let Some(c) = crate::lzf::compress(s, s.len() - 4) {
            out.push(0xC3);
            put_len(out, c.len() as u64);
            put_len(out, s.len() as u64);
            out.extend_from_slice(&c);
            return;
        }
    }
    put_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// `rdbTryIntegerEncoding`: `s` as an 8, 16 or 32-bit integer when it reads back identically.
fn put_int(out: &mut Vec<u8>, s: &[u8]) -> bool {
    let Some(v) = std::str::from_utf8(s)
        .ok()
        .and_then(|t| t.parse::<i64>().ok())
    else {
        return false;
    };
    if v.to_string().as_bytes() != s {
        return false;
    }
    if let Ok(b) = i8::try_from(v) {
        out.push(0xC0);
        out.extend_from_slice(&b.to_le_bytes());
    } else if let Ok(h) = i16::try_from(v) {
        out.push(0xC1);
        out.extend_from_slice(&h.to_le_bytes());
    } else if let Ok(w) = i32::try_from(v) {
        out.push(0xC2);
        out.extend_from_slice(&w.to_le_bytes());
    } else {
        return false;
    }
    true
}

fn put_len(out: &mut Vec<u8>, n: u64) {
    if n < 64 {
        out.push(n as u8);
    } else if n < 16384 {
        out.push(0x40 | (n >> 8) as u8);
        out.push(n as u8);
    } else if n <= u32::MAX as u64 {
        out.push(0x80);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// Appends the RDB version and the CRC64 footer.
pub fn seal(payload: &mut Vec<u8>) {
    payload.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(payload);
    payload.extend_from_slice(&crc.to_le_bytes());
}

/// Redis's CRC64 (Jones, reflected, no final xor).
pub fn crc64(data: &[u8]) -> u64 {
    const POLY: u64 = 0x95AC_9329_AC4B_C9B5;
    let mut crc = 0u64;
    for &b in data {
        crc ^= b as u64;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// The library codes of a payload; `None` when its footer or records are not valid.
pub fn read_libraries(payload: &[u8]) -> Option<Vec<Vec<u8>>> {
    if payload.len() < 10 {
        return None;
    }
    let (body, crc) = payload.split_at(payload.len() - 8);
    let version = u16::from_le_bytes([body[body.len() - 2], body[body.len() - 1]]);
    if version > RDB_VERSION || crc64(body).to_le_bytes() != crc {
        return None;
    }
    let body = &body[..body.len() - 2];
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < body.len() {
        if body[pos] != OPCODE_FUNCTION2 {
            return None;
        }
        pos += 1;
        out.push(read_string(body, &mut pos)?);
    }
    Some(out)
}

/// Reads a length; the flag is true for a special encoding (`0xC0 | n`).
fn read_len(buf: &[u8], pos: &mut usize) -> Option<(u64, bool)> {
    let first = *buf.get(*pos)?;
    *pos += 1;
    match first >> 6 {
        0 => Some(((first & 0x3F) as u64, false)),
        1 => {
            let second = *buf.get(*pos)?;
            *pos += 1;
            Some(((((first & 0x3F) as u64) << 8) | second as u64, false))
        }
        2 if first == 0x80 => {
            let b = buf.get(*pos..*pos + 4)?;
            *pos += 4;
            Some((u32::from_be_bytes(b.try_into().ok()?) as u64, false))
        }
        2 if first == 0x81 => {
            let b = buf.get(*pos..*pos + 8)?;
            *pos += 8;
            Some((u64::from_be_bytes(b.try_into().ok()?), false))
        }
        3 => Some(((first & 0x3F) as u64, true)),
        _ => None,
    }
}

fn read_string(buf: &[u8], pos: &mut usize) -> Option<Vec<u8>> {
    let (n, special) = read_len(buf, pos)?;
    if !special {
        let s = buf.get(*pos..*pos + n as usize)?.to_vec();
        *pos += n as usize;
        return Some(s);
    }
    match n {
        0 => {
            let v = *buf.get(*pos)? as i8;
            *pos += 1;
            Some(v.to_string().into_bytes())
        }
        1 => {
            let b = buf.get(*pos..*pos + 2)?;
            *pos += 2;
            Some(i16::from_le_bytes([b[0], b[1]]).to_string().into_bytes())
        }
        2 => {
            let b = buf.get(*pos..*pos + 4)?;
            *pos += 4;
            Some(
                i32::from_le_bytes(b.try_into().ok()?)
                    .to_string()
                    .into_bytes(),
            )
        }
        3 => {
            let (clen, _) = read_len(buf, pos)?;
            let (len, _) = read_len(buf, pos)?;
            let c = buf.get(*pos..*pos + clen as usize)?;
            *pos += clen as usize;
            crate::lzf::decompress(c, len as usize)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_matches_redis_check_value() {
        assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn payload_round_trips() {
        let mut p = vec![OPCODE_FUNCTION2];
        put_string(&mut p, &[b'x'; 100], true);
        p.push(OPCODE_FUNCTION2);
        put_string(&mut p, b"-12345", true);
        seal(&mut p);
        assert_eq!(p[1], 0xC3);
        let libs = vec![vec![b'x'; 100], b"-12345".to_vec()];
        assert_eq!(read_libraries(&p), Some(libs));
    }
}
