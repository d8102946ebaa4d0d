//! The `FUNCTION DUMP` payload as Redis writes it: one RDB `FUNCTION2` record (opcode 245 and the
//! library code as an RDB string) per library, then the RDB version (2 bytes, little endian) and
//! the CRC64 (Jones polynomial, as Redis's `crc64`) of everything before it. Reading accepts
//! LZF-compressed strings too, since redis-server compresses long library code.

/// `RDB_OPCODE_FUNCTION2`.
pub const OPCODE_FUNCTION2: u8 = 245;
/// The RDB version Redis 7.0 writes.
const RDB_VERSION: u16 = 10;

/// Appends `s` as an RDB length-prefixed string.
pub fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    put_len(out, s.len() as u64);
    out.extend_from_slice(s);
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
            lzf_decompress(c, len as usize)
        }
        _ => None,
    }
}

/// LZF decompression (liblzf's `lzf_decompress`), checking every bound.
fn lzf_decompress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(out_len);
    let mut i = 0;
    while i < input.len() {
        let ctrl = input[i] as usize;
        i += 1;
        if ctrl < 32 {
            let lit = input.get(i..i + ctrl + 1)?;
            out.extend_from_slice(lit);
            i += ctrl + 1;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += *input.get(i)? as usize;
                i += 1;
            }
            let back = ((ctrl & 0x1F) << 8) + *input.get(i)? as usize + 1;
            i += 1;
            let start = out.len().checked_sub(back)?;
            for k in 0..len + 2 {
                let b = out[start + k];
                out.push(b);
            }
        }
        if out.len() > out_len {
            return None;
        }
    }
    (out.len() == out_len).then_some(out)
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
        put_string(&mut p, &[b'x'; 100]);
        seal(&mut p);
        assert_eq!(read_libraries(&p), Some(vec![vec![b'x'; 100]]));
    }
}
