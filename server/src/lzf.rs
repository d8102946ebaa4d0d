//! LZF, the compression of RDB strings (`FUNCTION DUMP` payloads today, RDB files later): liblzf
//! 3.x as Redis builds it (`HLOG 16`, `VERY_FAST`, not `ULTRA_FAST`), so ferrous compresses a
//! string to the very bytes redis-server writes, and a decompressor that checks every bound.
//! Key decision: the hash table starts empty where Redis's is whatever the stack held (liblzf's
//! `INIT_HTAB 0`); stale entries only ever yield other valid matches, and in practice none.

const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
const MAX_LIT: usize = 1 << 5;
const MAX_OFF: usize = 1 << 13;
const MAX_REF: usize = (1 << 8) + (1 << 3);

fn first(input: &[u8], ip: usize) -> u32 {
    let at = |i: usize| input.get(i).copied().unwrap_or(0) as u32;
    (at(ip) << 8) | at(ip + 1)
}

fn next(v: u32, input: &[u8], ip: usize) -> u32 {
    (v << 8) | input[ip + 2] as u32
}

fn idx(h: u32) -> usize {
    ((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

/// Appends `byte` to the literal run being built at `op` (its length byte waits at `op - lit - 1`),
/// closing the run once it holds [`MAX_LIT`] bytes and opening the next one.
fn push_literal(out: &mut [u8], op: &mut usize, lit: &mut usize, byte: u8) {
    *lit += 1;
    out[*op] = byte;
    *op += 1;
    if *lit == MAX_LIT {
        out[*op - *lit - 1] = (*lit - 1) as u8;
        *lit = 0;
        *op += 1;
    }
}

/// `lzf_compress(input, out_len)`: the compressed bytes, or `None` when they would not fit in
/// `out_len` bytes (or either length is 0).
pub fn compress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let in_len = input.len();
    if in_len == 0 || out_len == 0 {
        return None;
    }
    let mut htab = vec![usize::MAX; HSIZE];
    // One spare byte, as Redis allocates: a run marker may be written at `out_len` just before
    // the "no room" return.
    let mut out = vec![0u8; out_len + 1];
    let (mut ip, mut op, mut lit) = (0usize, 1usize, 0usize);
    let mut hval = first(input, ip);
    while ip + 2 < in_len {
        hval = next(hval, input, ip);
        let slot = idx(hval);
        let r = htab[slot];
        htab[slot] = ip;
        let found = r < ip
            && ip - r - 1 < MAX_OFF
            && ip + 4 < in_len
            && r > 0
            && input[r..r + 3] == input[ip..ip + 3];
        if !found {
            if op >= out_len {
                return None;
            }
            push_literal(&mut out, &mut op, &mut lit, input[ip]);
            ip += 1;
            continue;
        }
        let off = ip - r - 1;
        let len = match_len(input, r, ip);
        out[op - lit - 1] = (lit as u8).wrapping_sub(1);
        op -= (lit == 0) as usize;
        if op + 3 + 1 >= out_len {
            return None;
        }
        let len = len - 2;
        ip += 1;
        if len < 7 {
            out[op] = ((off >> 8) + (len << 5)) as u8;
            op += 1;
        } else {
            out[op] = ((off >> 8) + (7 << 5)) as u8;
            out[op + 1] = (len - 7) as u8;
            op += 2;
        }
        out[op] = off as u8;
        op += 2;
        lit = 0;
        ip += len + 1;
        if ip + 2 >= in_len {
            break;
        }
        ip -= 2;
        hval = first(input, ip);
        for _ in 0..2 {
            hval = next(hval, input, ip);
            htab[idx(hval)] = ip;
            ip += 1;
        }
    }
    if op + 3 > out_len {
        return None;
    }
    for &byte in &input[ip..] {
        push_literal(&mut out, &mut op, &mut lit, byte);
    }
    out[op - lit - 1] = (lit as u8).wrapping_sub(1);
    op -= (lit == 0) as usize;
    out.truncate(op);
    Some(out)
}

/// Length of the match at `ip` against `r` (3 bytes known equal), as liblzf counts it: a first
/// unrolled run of 16 bytes when far from the end (which may reach two bytes past `maxlen`),
/// then byte by byte up to `maxlen`.
fn match_len(input: &[u8], r: usize, ip: usize) -> usize {
    let mut len = 2;
    let maxlen = (input.len() - ip - len).min(MAX_REF);
    if maxlen > 16 {
        for _ in 0..16 {
            len += 1;
            if input[r + len] != input[ip + len] {
                return len;
            }
        }
    }
    loop {
        len += 1;
        if !(len < maxlen && input[r + len] == input[ip + len]) {
            return len;
        }
    }
}

/// `lzf_decompress`: `None` when the data is not valid LZF of exactly `out_len` bytes.
pub fn decompress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(out_len.min(input.len().saturating_mul(64)));
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
    fn round_trips_and_refuses_what_does_not_shrink() {
        let samples: [&[u8]; 4] = [
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            b"#!lua name=lib\nredis.register_function('f', function() return 1 end)\nredis.register_function('g', function() return 2 end)",
            &[7u8; 10_000],
            b"abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc",
        ];
        for s in samples {
            let c = compress(s, s.len() - 4).expect("compressible");
            assert_eq!(decompress(&c, s.len()).as_deref(), Some(s));
        }
        assert_eq!(compress(b"abcdefghijklmnopqrstuvwxyz", 22), None);
        let noise: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let c = compress(&noise, noise.len() + 200).expect("fits with room");
        assert_eq!(decompress(&c, noise.len()), Some(noise));
    }

    #[test]
    fn any_input_and_room_round_trips_or_is_refused() {
        let mut x: u32 = 12345;
        for len in 0..600usize {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    b"aab c"[(x >> 16) as usize % 5]
                })
                .collect();
            for room in [0, 1, len / 2, len.saturating_sub(4), len + 8] {
                if let Some(c) = compress(&data, room) {
                    assert!(c.len() <= room);
                    assert_eq!(decompress(&c, len).as_deref(), Some(&data[..]));
                }
            }
        }
    }

    #[test]
    fn matches_liblzf_output() {
        // Position 0 is never referenced (`ref > in_data`), the run stops 2 bytes short of the
        // end, and the last two bytes are literals.
        let s = [b'a'; 63];
        let want = [1, b'a', b'a', 0xe0, 50, 0, 1, b'a', b'a'];
        assert_eq!(compress(&s, s.len() - 4).unwrap(), want);
    }
}
