//! The request parser: RESP multibulk requests and inline (telnet) commands, resumable across reads so
//! a large value arriving in many packets is scanned once. Key decision: arguments are copied into
//! reusable per-client slots ([`Argv`]) so steady-state parsing allocates nothing; every malformed input
//! yields Redis's exact protocol error text instead of a panic.

/// Longest inline request or count line accepted without a newline (Redis's `PROTO_INLINE_MAX_SIZE`).
pub const INLINE_MAX: usize = 64 * 1024;
/// Arguments of a command, as reusable byte buffers.
#[derive(Debug, Default)]
pub struct Argv {
    slots: Vec<Vec<u8>>,
    len: usize,
}

impl Argv {
    /// Forgets the arguments, keeping the buffers (large ones are released).
    pub fn clear(&mut self) {
        for slot in &mut self.slots[..self.len] {
            if slot.capacity() > 64 * 1024 {
                *slot = Vec::new();
            }
        }
        self.len = 0;
    }

    /// Appends an argument, reusing a slot's allocation.
    pub fn push(&mut self, data: &[u8]) {
        if self.len == self.slots.len() {
            self.slots.push(data.to_vec());
        } else {
            let slot = &mut self.slots[self.len];
            slot.clear();
            slot.extend_from_slice(data);
        }
        self.len += 1;
    }

    /// The arguments parsed so far.
    pub fn as_slice(&self) -> &[Vec<u8>] {
        &self.slots[..self.len]
    }

    /// Number of arguments.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no argument.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Size limits applied while parsing.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// `proto-max-bulk-len`.
    pub max_bulk_len: i64,
    /// False until the client has authenticated (when a password is set): tiny limits apply.
    pub authenticated: bool,
}

/// Result of one parse step.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A full command is in the [`Argv`] (possibly empty: an empty line or `*0`, to be skipped).
    Command,
    /// More bytes are needed.
    Incomplete,
    /// Malformed input: reply with this error and close the connection.
    Error(String),
}

/// Resumable parser state for one connection.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bulk strings still expected in the current multibulk request (0: between requests).
    multibulk_left: i64,
    /// Length of the bulk string being waited for (-1: its header has not been read).
    bulk_len: i64,
}

impl Parser {
    /// Parses one command from `buf[*pos..]`, advancing `pos` past the consumed bytes.
    pub fn parse(&mut self, buf: &[u8], pos: &mut usize, argv: &mut Argv, lim: Limits) -> Parsed {
        if self.multibulk_left == 0 {
            argv.clear();
            if buf[*pos..].is_empty() {
                return Parsed::Incomplete;
            }
            if buf[*pos] != b'*' {
                return parse_inline(buf, pos, argv);
            }
            match self.multibulk_header(buf, pos, lim) {
                Parsed::Command if self.multibulk_left == 0 => return Parsed::Command,
                Parsed::Command => {}
                other => return other,
            }
        }
        self.bulks(buf, pos, argv, lim)
    }

    fn multibulk_header(&mut self, buf: &[u8], pos: &mut usize, lim: Limits) -> Parsed {
        let (n, next) = match count_line(buf, *pos) {
            Line::Incomplete => return Parsed::Incomplete,
            Line::TooLong => return err("Protocol error: too big mbulk count string"),
            Line::Done(n, next) => (n, next),
        };
        let Some(n) = n.filter(|&n| n <= i32::MAX as i64) else {
            return err("Protocol error: invalid multibulk length");
        };
        if !lim.authenticated && n > 10 {
            return err("Protocol error: unauthenticated multibulk length");
        }
        *pos = next;
        self.multibulk_left = n.max(0);
        self.bulk_len = -1;
        Parsed::Command
    }

    fn bulks(&mut self, buf: &[u8], pos: &mut usize, argv: &mut Argv, lim: Limits) -> Parsed {
        while self.multibulk_left > 0 {
            if self.bulk_len < 0 {
                match self.bulk_header(buf, pos, lim) {
                    Parsed::Command => {}
                    other => return other,
                }
            }
            let need = self.bulk_len as usize + 2;
            if buf.len() - *pos < need {
                return Parsed::Incomplete;
            }
            argv.push(&buf[*pos..*pos + self.bulk_len as usize]);
            *pos += need;
            self.bulk_len = -1;
            self.multibulk_left -= 1;
        }
        Parsed::Command
    }

    fn bulk_header(&mut self, buf: &[u8], pos: &mut usize, lim: Limits) -> Parsed {
        let (n, next) = match count_line(buf, *pos) {
            Line::Incomplete => return Parsed::Incomplete,
            Line::TooLong => {
                self.multibulk_left = 0;
                return err("Protocol error: too big bulk count string");
            }
            Line::Done(n, next) => (n, next),
        };
        if buf[*pos] != b'$' {
            self.multibulk_left = 0;
            return Parsed::Error(format!(
                "Protocol error: expected '$', got '{}'",
                buf[*pos] as char
            ));
        }
        let Some(n) = n.filter(|&n| n >= 0 && n <= lim.max_bulk_len) else {
            self.multibulk_left = 0;
            return err("Protocol error: invalid bulk length");
        };
        if !lim.authenticated && n > 16384 {
            self.multibulk_left = 0;
            return err("Protocol error: unauthenticated bulk length");
        }
        *pos = next;
        self.bulk_len = n;
        Parsed::Command
    }

    /// Bytes the current bulk string still needs, for read sizing (0 when unknown).
    pub fn pending_bulk(&self) -> usize {
        self.bulk_len.max(0) as usize
    }
}

fn err(text: &str) -> Parsed {
    Parsed::Error(text.to_string())
}

/// A `*<count>` or `$<length>` line (prefix byte at `pos`).
enum Line {
    /// Its CRLF has not arrived yet.
    Incomplete,
    /// No CR within [`INLINE_MAX`] bytes.
    TooLong,
    /// The number between prefix and CR (`None` when it is not a valid integer) and the position
    /// after the line.
    Done(Option<i64>, usize),
}

/// Reads the line at `pos`: the usual short decimal in one pass over its bytes, anything else
/// (signs, leading zeros, junk, long numbers) through the general scan and [`parse_i64`], so every
/// line gets the same answer either way.
#[inline]
fn count_line(buf: &[u8], pos: usize) -> Line {
    if let Some((n, next)) = short_decimal(buf, pos + 1) {
        return Line::Done(Some(n), next);
    }
    let Some(cr) = find_cr(&buf[pos..]) else {
        return if buf.len() - pos > INLINE_MAX {
            Line::TooLong
        } else {
            Line::Incomplete
        };
    };
    if pos + cr + 1 >= buf.len() {
        return Line::Incomplete;
    }
    let digits = buf.get(pos + 1..pos + cr).unwrap_or_default();
    Line::Done(parse_i64(digits), pos + cr + 2)
}

/// 1 to 18 digits without a leading zero (or a lone `0`) at `start`, then CR and one more byte:
/// the value and the position after that byte.
#[inline]
fn short_decimal(buf: &[u8], start: usize) -> Option<(i64, usize)> {
    let mut i = start;
    let mut n: i64 = 0;
    while i < buf.len() && i - start < 18 && buf[i].is_ascii_digit() {
        n = n * 10 + (buf[i] - b'0') as i64;
        i += 1;
    }
    let digits = i - start;
    let leading_zero = digits > 1 && buf[start] == b'0';
    if digits == 0 || leading_zero || buf.get(i) != Some(&b'\r') || i + 1 >= buf.len() {
        return None;
    }
    Some((n, i + 2))
}

fn find_cr(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\r')
}

fn parse_inline(buf: &[u8], pos: &mut usize, argv: &mut Argv) -> Parsed {
    let rest = &buf[*pos..];
    // Redis finds the newline with `strchr`, which stops at a NUL byte: a request with a NUL
    // before its newline waits for more input until it is too big.
    let end = rest.iter().position(|&b| b == b'\n' || b == 0);
    let Some(nl) = end.filter(|&i| rest[i] == b'\n') else {
        if rest.len() > INLINE_MAX {
            return err("Protocol error: too big inline request");
        }
        return Parsed::Incomplete;
    };
    let mut line = &rest[..nl];
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    let Some(args) = split_args(line) else {
        return err("Protocol error: unbalanced quotes in request");
    };
    for a in &args {
        argv.push(a);
    }
    *pos += nl + 1;
    Parsed::Command
}

/// Parses a whole decimal `i64` like Redis's `string2ll` (no spaces, no `+`, no leading zeros).
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits[0] == b'0' {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    if neg {
        if v > i64::MAX as u64 + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else {
        i64::try_from(v).ok()
    }
}

/// Splits a line into arguments like Redis's `sdssplitargs`: spaces separate, `"..."` understands
/// `\n \r \t \b \a \\ \" \xHH`, `'...'` understands `\'`; `None` on unbalanced quotes. As Redis
/// reads the line as a C string, a NUL byte ends it.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let line = &line[..line.iter().position(|&b| b == 0).unwrap_or(line.len())];
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < line.len() && is_c_space(line[i]) {
            i += 1;
        }
        if i >= line.len() {
            return Some(out);
        }
        let (arg, next) = split_one(line, i)?;
        out.push(arg);
        i = next;
    }
}

fn split_one(line: &[u8], mut i: usize) -> Option<(Vec<u8>, usize)> {
    let mut cur = Vec::new();
    let mut inq = false;
    let mut insq = false;
    loop {
        let c = line.get(i).copied();
        if inq {
            let c = c?;
            if c == b'\\' && line.get(i + 1) == Some(&b'x') && hex_pair(line, i + 2).is_some() {
                cur.push(hex_pair(line, i + 2)?);
                i += 3;
            } else if c == b'\\' && i + 1 < line.len() {
                i += 1;
                cur.push(match line[i] {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 8,
                    b'a' => 7,
                    other => other,
                });
            } else if c == b'"' {
                if line.get(i + 1).is_some_and(|&b| !is_c_space(b)) {
                    return None;
                }
                return Some((cur, i + 1));
            } else {
                cur.push(c);
            }
        } else if insq {
            let c = c?;
            if c == b'\\' && line.get(i + 1) == Some(&b'\'') {
                i += 1;
                cur.push(b'\'');
            } else if c == b'\'' {
                if line.get(i + 1).is_some_and(|&b| !is_c_space(b)) {
                    return None;
                }
                return Some((cur, i + 1));
            } else {
                cur.push(c);
            }
        } else {
            match c {
                None | Some(b' ' | b'\n' | b'\r' | b'\t' | 0) => return Some((cur, i)),
                Some(b'"') => inq = true,
                Some(b'\'') => insq = true,
                Some(c) => cur.push(c),
            }
        }
        i += 1;
    }
}

/// C's `isspace`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_pair(line: &[u8], i: usize) -> Option<u8> {
    let h = (*line.get(i)? as char).to_digit(16)?;
    let l = (*line.get(i + 1)? as char).to_digit(16)?;
    Some((h * 16 + l) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIM: Limits = Limits {
        max_bulk_len: 512 * 1024 * 1024,
        authenticated: true,
    };

    fn parse_all(input: &[u8]) -> (Vec<Vec<Vec<u8>>>, Option<String>) {
        let mut p = Parser::default();
        let mut argv = Argv::default();
        let mut pos = 0;
        let mut cmds = Vec::new();
        loop {
            match p.parse(input, &mut pos, &mut argv, LIM) {
                Parsed::Command => cmds.push(argv.as_slice().to_vec()),
                Parsed::Incomplete => return (cmds, None),
                Parsed::Error(e) => return (cmds, Some(e)),
            }
        }
    }

    #[test]
    fn multibulk_and_inline() {
        let (cmds, e) = parse_all(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING \"a b\"\r\n*1\r\n$4\r\nPI");
        assert_eq!(e, None);
        assert_eq!(
            cmds,
            vec![
                vec![b"GET".to_vec(), b"k".to_vec()],
                vec![b"PING".to_vec(), b"a b".to_vec()]
            ]
        );
    }

    #[test]
    fn inline_requests_split_like_sdssplitargs() {
        let (cmds, e) = parse_all(b"ECHO a\x0bb\r\n\x0cECHO\x0b\"c\"\x0b\r\n");
        assert_eq!(e, None);
        assert_eq!(
            cmds,
            vec![
                vec![b"ECHO".to_vec(), b"a\x0bb".to_vec()],
                vec![b"ECHO\x0bc".to_vec()]
            ]
        );
        assert_eq!(split_args(b"a \x00 b"), Some(vec![b"a".to_vec()]));
        assert_eq!(split_args(b"\"a\x00\""), None);
    }

    #[test]
    fn a_nul_before_the_newline_keeps_an_inline_request_waiting() {
        let (cmds, e) = parse_all(b"PING\x00\r\nPING\r\n");
        assert!(cmds.is_empty());
        assert_eq!(e, None);
        let mut long = b"PING\x00".to_vec();
        long.resize(INLINE_MAX + 10, b'\n');
        assert_eq!(
            parse_all(&long).1.unwrap(),
            "Protocol error: too big inline request"
        );
    }

    #[test]
    fn resumes_across_reads() {
        let full = b"*2\r\n$3\r\nSET\r\n$5\r\nhello\r\n";
        let mut p = Parser::default();
        let mut argv = Argv::default();
        let mut pos = 0;
        for end in 1..full.len() {
            assert_eq!(
                p.parse(&full[..end], &mut pos, &mut argv, LIM),
                Parsed::Incomplete
            );
        }
        assert_eq!(p.parse(full, &mut pos, &mut argv, LIM), Parsed::Command);
        assert_eq!(argv.as_slice()[1], b"hello");
    }

    #[test]
    fn protocol_errors() {
        assert_eq!(
            parse_all(b"*x\r\n").1.unwrap(),
            "Protocol error: invalid multibulk length"
        );
        assert_eq!(
            parse_all(b"*1\r\n+a\r\n").1.unwrap(),
            "Protocol error: expected '$', got '+'"
        );
        assert_eq!(
            parse_all(b"*1\r\n$-2\r\n").1.unwrap(),
            "Protocol error: invalid bulk length"
        );
        assert_eq!(
            parse_all(b"SET \"a\r\n").1.unwrap(),
            "Protocol error: unbalanced quotes in request"
        );
    }

    #[test]
    fn short_decimal_agrees_with_the_general_path() {
        let lines: &[&[u8]] = &[
            b"$0\r\n",
            b"$7\r\n",
            b"$12\r\n",
            b"$007\r\n",
            b"$-1\r\n",
            b"$+5\r\n",
            b"$5x\r\n",
            b"$\r\n",
            b"$123456789012345678\r\n",
            b"$1234567890123456789\r\n",
            b"$99999999999999999999\r\n",
            b"$5\r",
            b"$5",
            b"*3\r\n",
            b"*0\r\n",
        ];
        for line in lines {
            let cr = find_cr(line);
            let general = cr
                .filter(|&cr| cr + 1 < line.len())
                .map(|cr| parse_i64(&line[1..cr]));
            match (short_decimal(line, 1), general) {
                (Some((n, next)), Some(g)) => {
                    assert_eq!(Some(n), g, "{line:?}");
                    assert_eq!(next, cr.unwrap() + 2, "{line:?}");
                }
                (Some(_), None) => panic!("fast path accepted an incomplete line {line:?}"),
                (None, _) => {}
            }
        }
        assert!(short_decimal(b"$12\r\n", 1).is_some());
    }

    #[test]
    fn split_args_escapes() {
        assert_eq!(
            split_args(b"a \"\\x41\\n\" 'it\\'s'").unwrap(),
            vec![b"a".to_vec(), b"A\n".to_vec(), b"it's".to_vec()]
        );
        assert!(split_args(b"\"abc\"d").is_none());
    }
}
