//! The debugging session's state (Redis's global `ldb` struct): the debugging client's socket,
//! the pending log lines, breakpoints, stepping flags and the script's source split in lines. It
//! lives in a thread-local, set for exactly the duration of one debugged `EVAL`, so the `redis.*`
//! natives (`redis.debug`, `redis.breakpoint`, the `<redis>`/`<reply>`/`<error>` logs of
//! `redis.call`) and the line hook reach it the way Redis's C code reaches its global. Key
//! decision: a forked (`SCRIPT DEBUG YES`) session runs on its own thread, so its thread-local is
//! its own and sessions never see each other.

use super::format::{cat_value, reply_errors, reply_to_human};
use ferrous_lua::Value;
use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

/// Breakpoints a session holds at most (`LDB_BREAKPOINTS_MAX`).
pub const MAX_BREAKPOINTS: usize = 64;
/// Default length past which logged replies and values are trimmed (`LDB_MAX_LEN_DEFAULT`).
const DEFAULT_MAXLEN: usize = 256;
/// Debugger input kept at most before the session fails (Redis's 1 MB).
const MAX_INPUT: usize = 1 << 20;

/// One debugging session.
pub struct Session {
    /// The debugging client's socket (blocking).
    conn: TcpStream,
    /// Log lines not yet sent.
    logs: Vec<Vec<u8>>,
    /// Breakpoint lines; `bp[..bpcount]` are set.
    bp: [i32; MAX_BREAKPOINTS],
    /// Number of breakpoints set.
    pub bpcount: usize,
    /// Stop at the next line.
    pub step: bool,
    /// `redis.breakpoint()` was called: stop at the next line.
    pub luabp: bool,
    /// The script's lines.
    src: Vec<Vec<u8>>,
    /// The line the script is at.
    pub current_line: i64,
    /// Debugger input read and not yet parsed.
    cbuf: Vec<u8>,
    /// Trim length of logged values (0: unlimited).
    pub maxlen: usize,
    /// The hint about `maxlen 0` was given (or `maxlen` used).
    pub maxlen_hint_sent: bool,
    /// When the script last resumed (start, or the end of a stop): the "infinite loop" timeout
    /// counts from here.
    pub resumed_at: Instant,
    /// Milliseconds of running without a stop before the debugger stops the script.
    pub time_limit_ms: u128,
    /// The stop in progress was caused by the timeout.
    pub timeout_stop: bool,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

impl Session {
    /// A session on `conn` for a script with `body`, stopping at its first line (`ldbEnable` +
    /// `ldbStartSession`).
    pub fn new(conn: TcpStream, body: &[u8], time_limit_ms: u128) -> Session {
        let mut len = body.len();
        while len > 0 && matches!(body[len - 1], b'\n' | b'\r') {
            len -= 1;
        }
        let src = if len == 0 {
            Vec::new()
        } else {
            body[..len]
                .split(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect()
        };
        Session {
            conn,
            logs: Vec::new(),
            bp: [0; MAX_BREAKPOINTS],
            bpcount: 0,
            step: true,
            luabp: false,
            src,
            current_line: 0,
            cbuf: Vec::new(),
            maxlen: DEFAULT_MAXLEN,
            maxlen_hint_sent: false,
            resumed_at: Instant::now(),
            time_limit_ms,
            timeout_stop: false,
        }
    }

    /// Number of lines of the script.
    pub fn lines(&self) -> i64 {
        self.src.len() as i64
    }

    /// Queues a log line.
    pub fn log(&mut self, entry: impl Into<Vec<u8>>) {
        self.logs.push(entry.into());
    }

    /// Queues a log line trimmed to `maxlen` (`ldbLogWithMaxLen`), with a one-time hint.
    pub fn log_with_maxlen(&mut self, mut entry: Vec<u8>) {
        let trimmed = self.maxlen > 0 && entry.len() > self.maxlen;
        if trimmed {
            entry.truncate(self.maxlen);
            entry.extend_from_slice(b" ...");
        }
        self.log(entry);
        if trimmed && !self.maxlen_hint_sent {
            self.maxlen_hint_sent = true;
            self.log("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
        }
    }

    /// Sends the queued lines as one array of status replies, newlines turned into spaces
    /// (`ldbSendLogs`). Write errors are ignored: the next read notices a closed connection.
    pub fn send_logs(&mut self) {
        let mut proto = format!("*{}\r\n", self.logs.len()).into_bytes();
        for entry in self.logs.drain(..) {
            proto.push(b'+');
            proto.extend(entry.iter().map(|&b| match b {
                b'\r' | b'\n' => b' ',
                b => b,
            }));
            proto.extend_from_slice(b"\r\n");
        }
        let _ = self.conn.write_all(&proto);
    }

    /// Writes `bytes` to the debugging client as they are (the final reply of a forked session).
    pub fn write_raw(&mut self, bytes: &[u8]) {
        let _ = self.conn.write_all(bytes);
    }

    /// Line `line` of the script (`ldbGetSourceLine`).
    fn source_line(&self, line: i64) -> &[u8] {
        usize::try_from(line - 1)
            .ok()
            .and_then(|i| self.src.get(i))
            .map_or(b"<out of range source code line>", |l| l.as_slice())
    }

    /// Whether `line` has a breakpoint.
    pub fn is_breakpoint(&self, line: i64) -> bool {
        self.bp[..self.bpcount]
            .iter()
            .any(|&b| i64::from(b) == line)
    }

    /// Adds a breakpoint; false when the line is out of the script, already set, or there is no
    /// room (`ldbAddBreakpoint`).
    pub fn add_breakpoint(&mut self, line: i64) -> bool {
        if line <= 0 || line > self.lines() {
            return false;
        }
        if !self.is_breakpoint(line) && self.bpcount != MAX_BREAKPOINTS {
            self.bp[self.bpcount] = line as i32;
            self.bpcount += 1;
            return true;
        }
        false
    }

    /// Removes a breakpoint (`ldbDelBreakpoint`). Redis shifts the following entries with a
    /// `memmove` of `count - j` *bytes* rather than entries, so removing a breakpoint that is not
    /// the last one duplicates its successor and loses later ones; the byte move is kept so
    /// `break` lists what Redis lists.
    pub fn del_breakpoint(&mut self, line: i64) -> bool {
        let Some(j) = self.bp[..self.bpcount]
            .iter()
            .position(|&b| i64::from(b) == line)
        else {
            return false;
        };
        self.bpcount -= 1;
        let mut bytes: Vec<u8> = self.bp.iter().flat_map(|b| b.to_ne_bytes()).collect();
        let n = self.bpcount - j;
        bytes.copy_within((j + 1) * 4..(j + 1) * 4 + n, j * 4);
        for (slot, chunk) in self.bp.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = i32::from_ne_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        true
    }

    /// The breakpoint lines, in the order they were set.
    pub fn breakpoints(&self) -> Vec<i64> {
        self.bp[..self.bpcount]
            .iter()
            .map(|&b| i64::from(b))
            .collect()
    }

    /// Logs line `lnum` with its markers: `->` current line, `#` breakpoint (`ldbLogSourceLine`).
    pub fn log_source_line(&mut self, lnum: i64) {
        let prefix = match (self.current_line == lnum, self.is_breakpoint(lnum)) {
            (true, true) => "->#",
            (true, false) => "-> ",
            (false, true) => "  #",
            (false, false) => "   ",
        };
        let mut line = format!("{prefix}{lnum:<3} ").into_bytes();
        line.extend_from_slice(self.source_line(lnum));
        self.log(line);
    }

    /// Logs the lines within `context` of `around`, or every line when `around` is 0 (`ldbList`).
    pub fn list(&mut self, around: i64, context: i64) {
        for j in 1..=self.lines() {
            if around != 0 && (around - j).abs() > context {
                continue;
            }
            self.log_source_line(j);
        }
    }

    /// Reads the next debugger command (`ldbReplParseCommand` + the read loop of `ldbRepl`):
    /// `Ok(None)` when the client went away, `Err` with the error to raise in the script on a
    /// protocol error or too much input. The input buffer is emptied after each command, so
    /// commands pipelined behind it are dropped, as in Redis.
    pub fn read_command(&mut self) -> Result<Option<Vec<Vec<u8>>>, &'static str> {
        loop {
            match parse_command(&self.cbuf) {
                Parse::Command(argv) => {
                    self.cbuf.clear();
                    return Ok(Some(argv));
                }
                Parse::Error => return Err("protocol error"),
                Parse::More => {}
            }
            let mut buf = [0u8; 1024];
            let n = match self.conn.read(&mut buf) {
                Ok(n) if n > 0 => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                _ => {
                    self.step = false;
                    self.bpcount = 0;
                    return Ok(None);
                }
            };
            self.cbuf.extend_from_slice(&buf[..n]);
            if self.cbuf.len() > MAX_INPUT {
                self.cbuf = Vec::new();
                return Err("max client buffer reached");
            }
        }
    }
}

/// What the debugger input buffer holds.
enum Parse {
    Command(Vec<Vec<u8>>),
    More,
    Error,
}

/// Redis's deliberately forgiving parser of debugger commands: skips to the first `*`, and takes
/// 1 to 1024 arguments of 1 to 1024 bytes each.
fn parse_command(buf: &[u8]) -> Parse {
    use super::format::atoi;
    if buf.is_empty() {
        return Parse::More;
    }
    let Some(star) = buf.iter().position(|&b| b == b'*') else {
        return Parse::Error;
    };
    let Some(end) = find_crlf(buf, star) else {
        return Parse::More;
    };
    let argc = atoi(&buf[star + 1..end]);
    if !(1..=1024).contains(&argc) {
        return Parse::Error;
    }
    let mut p = end + 2;
    let mut argv = Vec::new();
    while (argv.len() as i64) < argc {
        match buf.get(p) {
            None => return Parse::More,
            Some(b'$') => {}
            Some(_) => return Parse::Error,
        }
        let Some(end) = find_crlf(buf, p) else {
            return Parse::More;
        };
        let len = atoi(&buf[p + 1..end]);
        if !(1..=1024).contains(&len) {
            return Parse::Error;
        }
        let start = end + 2;
        let stop = start + len as usize;
        if stop + 2 > buf.len() {
            return Parse::More;
        }
        argv.push(buf[start..stop].to_vec());
        if &buf[stop..stop + 2] != b"\r\n" {
            return Parse::Error;
        }
        p = stop + 2;
    }
    Parse::Command(argv)
}

fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf[from..]
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| from + i)
}

/// Installs `session` as this thread's session.
pub fn begin(session: Session) {
    SESSION.with(|s| *s.borrow_mut() = Some(session));
}

/// Removes this thread's session.
pub fn end() -> Option<Session> {
    SESSION.with(|s| s.borrow_mut().take())
}

/// Runs `f` on this thread's session, if one is active (and not already borrowed further up).
pub fn with<R>(f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    SESSION.with(|s| s.try_borrow_mut().ok()?.as_mut().map(f))
}

/// `ldbIsEnabled`: a session is active and stepping (commands and replies are logged then).
/// Checked on every `redis.call`, so it only reads.
fn logging() -> bool {
    SESSION.with(|s| {
        s.try_borrow()
            .is_ok_and(|s| s.as_ref().is_some_and(|s| s.step))
    })
}

/// `redis.breakpoint()`: arms a stop at the next line; false outside a session.
pub fn breakpoint() -> bool {
    with(|s| s.luabp = true).is_some()
}

/// `redis.debug(...)`: logs `<debug> line N: v1, v2` in a session.
pub fn debug(values: &[Value<'_>]) {
    with(|s| {
        let mut entry = format!("<debug> line {}: ", s.current_line).into_bytes();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                entry.extend_from_slice(b", ");
            }
            cat_value(&mut entry, *v);
        }
        s.log(entry);
    });
}

/// Logs a command a script runs (`<redis> set k v`, at most ten words and a count of the rest
/// as Redis words it).
pub fn log_command(argv: &[Vec<u8>]) {
    if !logging() {
        return;
    }
    let mut entry = b"<redis>".to_vec();
    for (j, arg) in argv.iter().enumerate() {
        if j == 10 {
            entry.extend_from_slice(format!(" ... ({} more)", argv.len() - j - 1).as_bytes());
            break;
        }
        entry.push(b' ');
        entry.extend_from_slice(arg);
    }
    with(|s| s.log(entry));
}

/// Logs the reply of a command a script ran: `<error> -ERR ...` for each error in it, then
/// `<reply> ...`.
pub fn log_reply(reply: &[u8]) {
    if !logging() {
        return;
    }
    let mut entry = b"<reply> ".to_vec();
    reply_to_human(&mut entry, reply, &mut 0);
    with(|s| {
        for e in reply_errors(reply) {
            let mut line = b"<error> ".to_vec();
            line.extend_from_slice(&e);
            s.log(line);
        }
        s.log_with_maxlen(entry);
    });
}

/// Logs an error pushed for the script (`luaPushErrorBuff`): `<error> text`.
pub fn log_error(text: &[u8]) {
    if !logging() {
        return;
    }
    let mut entry = b"<error> ".to_vec();
    entry.extend_from_slice(text);
    with(|s| s.log(entry));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_like_redis() {
        let argv = |b: &[u8]| match parse_command(b) {
            Parse::Command(a) => Some(a),
            _ => None,
        };
        assert_eq!(argv(b"*2\r\n$1\r\nb\r\n$2\r\n10\r\n").unwrap().len(), 2);
        assert_eq!(argv(b"junk*1\r\n$1\r\ns\r\n").unwrap(), vec![b"s".to_vec()]);
        assert!(matches!(parse_command(b"*1\r\n$1\r\n"), Parse::More));
        assert!(matches!(parse_command(b"hello\r\n"), Parse::Error));
        assert!(matches!(parse_command(b"*1\r\n$0\r\n\r\n"), Parse::Error));
        assert!(matches!(parse_command(b"*0\r\n"), Parse::Error));
    }
}
