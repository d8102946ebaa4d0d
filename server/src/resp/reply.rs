//! The reply writer: handlers emit abstract replies (bulk, integer, array, map, set, double, null...) and
//! this encodes them straight into the connection's reusable output buffer for the client's protocol
//! version. Key decision: no intermediate reply tree and no allocation per reply — RESP2 downgrades
//! (maps as flat arrays, doubles as bulk strings, null as `$-1`/`*-1`) happen right here, as Redis 7.0
//! does them.

use super::double::format_double;

/// A client's output buffer plus the protocol version its replies are encoded in.
#[derive(Debug, Default)]
pub struct Reply {
    /// Encoded bytes waiting to be written to the socket.
    pub buf: Vec<u8>,
    /// True after `HELLO 3`.
    pub resp3: bool,
}

impl Reply {
    /// A new empty RESP2 reply buffer.
    pub fn new() -> Self {
        Self::default()
    }

    fn header(&mut self, prefix: u8, n: i64) {
        self.buf.push(prefix);
        push_int(&mut self.buf, n);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// `+OK`.
    pub fn ok(&mut self) {
        self.buf.extend_from_slice(b"+OK\r\n");
    }

    /// A simple string (`+text`); `text` must not contain CR or LF.
    pub fn simple(&mut self, text: &str) {
        self.buf.push(b'+');
        self.buf.extend_from_slice(text.as_bytes());
        self.buf.extend_from_slice(b"\r\n");
    }

    /// An array of simple strings (the `HELP` subcommands' replies).
    pub fn simple_lines(&mut self, lines: &[&str]) {
        self.array(lines.len());
        for l in lines {
            self.simple(l);
        }
    }

    /// An error reply; `text` is the full message including its code, e.g. `ERR syntax error`.
    pub fn error(&mut self, text: &str) {
        self.buf.push(b'-');
        for &b in text.as_bytes() {
            self.buf
                .push(if b == b'\r' || b == b'\n' { b' ' } else { b });
        }
        self.buf.extend_from_slice(b"\r\n");
    }

    /// An integer reply.
    pub fn int(&mut self, n: i64) {
        self.header(b':', n);
    }

    /// A bulk string.
    pub fn bulk(&mut self, data: &[u8]) {
        self.header(b'$', data.len() as i64);
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk string holding the decimal form of `n` (what Redis sends for integer-encoded strings).
    pub fn bulk_int(&mut self, n: i64) {
        let mut tmp = [0u8; 20];
        let s = fmt_int(&mut tmp, n);
        self.bulk(s);
    }

    /// A bulk string, or the null bulk string when `None`.
    pub fn bulk_opt(&mut self, data: Option<&[u8]>) {
        match data {
            Some(d) => self.bulk(d),
            None => self.null(),
        }
    }

    /// Null: `$-1` in RESP2, `_` in RESP3.
    pub fn null(&mut self) {
        self.buf
            .extend_from_slice(if self.resp3 { b"_\r\n" } else { b"$-1\r\n" });
    }

    /// Null array: `*-1` in RESP2, `_` in RESP3.
    pub fn null_array(&mut self) {
        self.buf
            .extend_from_slice(if self.resp3 { b"_\r\n" } else { b"*-1\r\n" });
    }

    /// Array header for `n` elements that follow.
    pub fn array(&mut self, n: usize) {
        self.header(b'*', n as i64);
    }

    /// Map header for `n` key/value pairs that follow (RESP2: array of 2n).
    pub fn map(&mut self, n: usize) {
        if self.resp3 {
            self.header(b'%', n as i64);
        } else {
            self.header(b'*', 2 * n as i64);
        }
    }

    /// Set header for `n` members that follow (RESP2: array).
    pub fn set(&mut self, n: usize) {
        self.header(if self.resp3 { b'~' } else { b'*' }, n as i64);
    }

    /// Push header (RESP3 `>`, RESP2 array), for pub/sub messages.
    pub fn push(&mut self, n: usize) {
        self.header(if self.resp3 { b'>' } else { b'*' }, n as i64);
    }

    /// Attribute-free double: RESP3 `,` type, RESP2 bulk string in `%.17g` form.
    pub fn double(&mut self, d: f64) {
        let text = format_double(d);
        if self.resp3 {
            self.buf.push(b',');
            self.buf.extend_from_slice(text.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text.as_bytes());
        }
    }

    /// Boolean: RESP3 `#t`/`#f`, RESP2 integer 1/0.
    pub fn boolean(&mut self, b: bool) {
        if self.resp3 {
            self.buf
                .extend_from_slice(if b { b"#t\r\n" } else { b"#f\r\n" });
        } else {
            self.int(b as i64);
        }
    }

    /// Big number: RESP3 `(`, RESP2 bulk string.
    pub fn big_number(&mut self, digits: &str) {
        if self.resp3 {
            self.buf.push(b'(');
            self.buf.extend_from_slice(digits.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(digits.as_bytes());
        }
    }

    /// Verbatim string with a 3-letter format (`txt`): RESP3 `=`, RESP2 bulk string.
    pub fn verbatim(&mut self, format: &str, data: &[u8]) {
        if self.resp3 {
            self.header(b'=', (data.len() + 4) as i64);
            self.buf.extend_from_slice(format.as_bytes());
            self.buf.push(b':');
            self.buf.extend_from_slice(data);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(data);
        }
    }

    /// Appends already-encoded RESP bytes (used for canned replies).
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Current length of the buffer; with [`Reply::truncate`] lets a handler roll back a partial reply.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True when nothing is buffered.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Drops everything written after `len`.
    pub fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }
}

/// Formats `n` in decimal into `tmp`, returning the used tail slice.
pub fn fmt_int(tmp: &mut [u8; 20], n: i64) -> &[u8] {
    let mut i = tmp.len();
    let neg = n < 0;
    let mut u = n.unsigned_abs();
    loop {
        i -= 1;
        tmp[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        tmp[i] = b'-';
    }
    &tmp[i..]
}

/// Appends the decimal form of `n` to `buf`.
pub fn push_int(buf: &mut Vec<u8>, n: i64) {
    if (0..10).contains(&n) {
        buf.push(b'0' + n as u8);
        return;
    }
    let mut tmp = [0u8; 20];
    buf.extend_from_slice(fmt_int(&mut tmp, n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp2_and_resp3_encodings() {
        let mut r = Reply::new();
        r.map(1);
        r.bulk(b"a");
        r.double(1.5);
        r.null();
        r.null_array();
        r.int(i64::MIN);
        assert_eq!(
            r.buf,
            b"*2\r\n$1\r\na\r\n$3\r\n1.5\r\n$-1\r\n*-1\r\n:-9223372036854775808\r\n"
        );
        let mut r = Reply {
            resp3: true,
            ..Reply::default()
        };
        r.map(1);
        r.double(1.5);
        r.null();
        r.boolean(true);
        assert_eq!(r.buf, b"%1\r\n,1.5\r\n_\r\n#t\r\n");
    }
}
