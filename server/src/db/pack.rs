//! Helpers for the packed small encodings (hash listpack, small sets, sorted-set listpack): lengths
//! as little-endian base-128 varints, elements as `varint(len) bytes`, and [`edit`], which changes an
//! exact-size `Box<[u8]>` through a `Vec` and hands it back exact-size. Key decision: the small
//! encodings are a bare `Box<[u8]>` (no length or capacity header of ours, the slice length is in the
//! pointer), so a small collection is ONE allocation sized to the byte, like a Redis listpack.

use std::ops::Range;

/// Bytes the varint of `n` takes.
#[inline]
pub fn varint_len(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

/// Appends the varint of `n`.
#[inline]
pub fn push_varint(buf: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        buf.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

/// Reads the varint at `pos`: (value, position after it).
#[inline]
pub fn read_varint(buf: &[u8], pos: usize) -> (usize, usize) {
    let first = buf[pos];
    if first < 0x80 {
        return (first as usize, pos + 1);
    }
    let (mut n, mut shift, mut i) = (0usize, 0, pos);
    loop {
        let b = buf[i];
        i += 1;
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            return (n, i);
        }
        shift += 7;
    }
}

/// The byte range of the element (`varint(len) bytes`) starting at `pos`.
#[inline]
pub fn element(buf: &[u8], pos: usize) -> Range<usize> {
    let (n, i) = read_varint(buf, pos);
    i..i + n
}

/// Bytes the element encoding of `data` takes.
#[inline]
pub fn element_len(data: &[u8]) -> usize {
    varint_len(data.len()) + data.len()
}

/// Appends `data` as an element.
#[inline]
pub fn push_element(buf: &mut Vec<u8>, data: &[u8]) {
    push_varint(buf, data.len());
    buf.extend_from_slice(data);
}

/// Runs `f` on the buffer as a vector and stores it back exact-size (no copy when `f` leaves the
/// length at the capacity, e.g. after `reserve_exact` + pushes; a shrink reallocates in place).
#[inline]
pub fn edit<R>(b: &mut Box<[u8]>, f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut v = std::mem::take(b).into_vec();
    let r = f(&mut v);
    *b = v.into_boxed_slice();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for n in [0usize, 1, 127, 128, 300, 16383, 16384, 1 << 40, usize::MAX] {
            let mut v = vec![9];
            push_varint(&mut v, n);
            assert_eq!(v.len(), 1 + varint_len(n));
            assert_eq!(read_varint(&v, 1), (n, v.len()));
        }
    }

    #[test]
    fn edit_keeps_the_box_exact() {
        let mut b: Box<[u8]> = Box::default();
        edit(&mut b, |v| {
            v.reserve_exact(element_len(b"abc"));
            push_element(v, b"abc");
        });
        assert_eq!(&*b, b"\x03abc");
        assert_eq!(element(&b, 0), 1..4);
        edit(&mut b, |v| v.drain(0..1).count());
        assert_eq!(&*b, b"abc");
    }
}
