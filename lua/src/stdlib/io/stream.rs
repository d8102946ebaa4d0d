//! Buffered streams behind Lua file handles, with the observable behaviour of glibc's stdio.
//!
//! Key design decision: every kind of stream (regular file, standard stream, pipe end) is an OS
//! file (`std::fs::File`, the standard ones duplicated from descriptors 0-2) under one buffer of
//! our own, so `read("*l")`, `read(n)`, `read("*n")` and `seek` share one notion of the position:
//! the OS position minus the unread bytes, plus the unwritten ones. Only standard output is
//! different: it writes through [`output`] so `print` and `io.write` stay in order.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::process::Child;

use crate::stdlib::output::{self, Buffering};
use crate::text::number::parse_number;

/// Bytes read from the OS at a time, and the size at which a full write buffer is written.
const CHUNK: usize = 8192;

/// The longest piece `fgets` reads at once in 5.1's `read_line` (`LUAL_BUFFERSIZE - 1`).
const LINE_PIECE: usize = 8191;

/// `EBADF`: what glibc reports for reading a write-only stream and vice versa.
const EBADF: i32 = 9;

/// `EINVAL`: a seek before the start of the file.
const EINVAL: i32 = 22;

/// What a stream is connected to.
pub enum Kind {
    /// A file opened by `io.open`, `io.lines`, `io.input`/`io.output` or `io.tmpfile`.
    File,
    /// Standard input.
    Stdin,
    /// Standard output (written through [`output`]).
    Stdout,
    /// Standard error (unbuffered).
    Stderr,
    /// One end of a pipe to a child started by `io.popen`; closing waits for it.
    Pipe(Option<Child>),
}

/// A buffered stream.
pub struct Stream {
    kind: Kind,
    file: Option<File>,
    readable: bool,
    writable: bool,
    rbuf: Vec<u8>,
    rpos: usize,
    wbuf: Vec<u8>,
    buffering: Buffering,
}

fn os_error(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

impl Stream {
    /// A stream over `file` (`None` when the descriptor could not be had: every use then fails).
    pub fn new(kind: Kind, file: Option<File>, readable: bool, writable: bool) -> Stream {
        let buffering = match kind {
            Kind::Stderr => Buffering::No,
            _ => Buffering::Full,
        };
        Stream {
            kind,
            file,
            readable,
            writable,
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
            buffering,
        }
    }

    /// Whether this is one of the three standard streams (which `close` refuses to close).
    pub fn is_standard(&self) -> bool {
        matches!(self.kind, Kind::Stdin | Kind::Stdout | Kind::Stderr)
    }

    fn file(&mut self) -> io::Result<&mut File> {
        self.file.as_mut().ok_or_else(|| os_error(EBADF))
    }

    fn unread(&self) -> usize {
        self.rbuf.len() - self.rpos
    }

    /// Makes buffered input available; `false` at end of file.
    fn fill(&mut self) -> io::Result<bool> {
        if self.rpos < self.rbuf.len() {
            return Ok(true);
        }
        if !self.readable {
            return Err(os_error(EBADF));
        }
        self.flush_writes()?;
        if matches!(self.kind, Kind::Stdin) {
            output::flush();
        }
        self.rbuf.resize(CHUNK, 0);
        self.rpos = 0;
        let n = loop {
            match self.file.as_mut().map(|f| f.read(&mut self.rbuf)) {
                Some(Err(e)) if e.kind() == io::ErrorKind::Interrupted => continue,
                Some(Ok(n)) => break n,
                Some(Err(e)) => {
                    self.rbuf.clear();
                    return Err(e);
                }
                None => {
                    self.rbuf.clear();
                    return Err(os_error(EBADF));
                }
            }
        };
        self.rbuf.truncate(n);
        Ok(n > 0)
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(if self.fill()? {
            Some(self.rbuf[self.rpos])
        } else {
            None
        })
    }

    /// A line without its newline (`read("*l")`), `None` at end of file. Like 5.1's `fgets` loop,
    /// each piece is cut at its first NUL byte (and a line whose newline follows a NUL continues).
    pub fn read_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        loop {
            let piece = self.read_piece()?;
            if piece.is_empty() {
                return Ok(if line.is_empty() { None } else { Some(line) });
            }
            let len = piece.iter().position(|&c| c == 0).unwrap_or(piece.len());
            if len > 0 && piece[len - 1] == b'\n' {
                line.extend_from_slice(&piece[..len - 1]);
                return Ok(Some(line));
            }
            line.extend_from_slice(&piece[..len]);
        }
    }

    /// What one `fgets` call reads: up to and including a newline, at most [`LINE_PIECE`] bytes.
    fn read_piece(&mut self) -> io::Result<Vec<u8>> {
        let mut piece = Vec::new();
        while piece.len() < LINE_PIECE && self.fill()? {
            let avail = &self.rbuf[self.rpos..];
            let room = avail.len().min(LINE_PIECE - piece.len());
            let take = match avail[..room].iter().position(|&c| c == b'\n') {
                Some(i) => i + 1,
                None => room,
            };
            piece.extend_from_slice(&avail[..take]);
            self.rpos += take;
            if piece.last() == Some(&b'\n') {
                break;
            }
        }
        Ok(piece)
    }

    /// Up to `n` bytes (fewer at end of file).
    pub fn read_chars(&mut self, n: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut left = n;
        while left > 0 && self.fill()? {
            let avail = &self.rbuf[self.rpos..];
            let take = avail.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            out.extend_from_slice(&avail[..take]);
            self.rpos += take;
            left -= take as u64;
        }
        Ok(out)
    }

    /// Whether input remains (`read(0)`).
    pub fn has_more(&mut self) -> io::Result<bool> {
        Ok(self.peek()?.is_some())
    }

    /// A number as `fscanf("%lf")` reads it: `None` when the input does not start with one (the
    /// bytes glibc consumes before giving up stay consumed).
    pub fn read_number(&mut self) -> io::Result<Option<f64>> {
        if !self.readable {
            return Ok(None);
        }
        while let Some(c) = self.peek()? {
            if !matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                break;
            }
            self.rpos += 1;
        }
        let mut text = Vec::new();
        if let Some(c @ (b'+' | b'-')) = self.peek()? {
            text.push(c);
            self.rpos += 1;
        }
        let valid = match self.peek()? {
            Some(b'i' | b'I') => self.scan_word(&mut text, b"inf")? && self.scan_infinity()?,
            Some(b'n' | b'N') => self.scan_word(&mut text, b"nan")?,
            _ => {
                return Ok(self
                    .scan_numeral(&mut text)?
                    .and_then(|end| parse_number(&text[..end])))
            }
        };
        Ok(if valid { parse_number(&text) } else { None })
    }

    /// Matches `word` case-insensitively; on a mismatch glibc consumes the offending byte too.
    fn scan_word(&mut self, text: &mut Vec<u8>, word: &[u8]) -> io::Result<bool> {
        for &expected in word {
            match self.peek()? {
                Some(c) if c.eq_ignore_ascii_case(&expected) => {
                    text.push(c);
                    self.rpos += 1;
                }
                Some(_) => {
                    self.rpos += 1;
                    return Ok(false);
                }
                None => return Ok(false),
            }
        }
        Ok(true)
    }

    /// After `inf`: an `i` commits to the whole `infinity`.
    fn scan_infinity(&mut self) -> io::Result<bool> {
        match self.peek()? {
            Some(b'i' | b'I') => self.scan_word(&mut Vec::new(), b"inity"),
            _ => Ok(true),
        }
    }

    /// Consumes a decimal or hex numeral; returns the length of its longest valid prefix, `None`
    /// when it has no digits.
    fn scan_numeral(&mut self, text: &mut Vec<u8>) -> io::Result<Option<usize>> {
        let mut hex = false;
        let mut digits = 0;
        if self.peek()? == Some(b'0') {
            text.push(b'0');
            self.rpos += 1;
            if let Some(c @ (b'x' | b'X')) = self.peek()? {
                text.push(c);
                self.rpos += 1;
                hex = true;
            } else {
                digits = 1;
            }
        }
        let is_digit = |c: u8| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        };
        digits += self.scan_while(text, is_digit)?;
        if self.peek()? == Some(b'.') {
            text.push(b'.');
            self.rpos += 1;
            digits += self.scan_while(text, is_digit)?;
        }
        if digits == 0 {
            return Ok(None);
        }
        let end = text.len();
        let marks: &[u8] = if hex { b"pP" } else { b"eE" };
        match self.peek()? {
            Some(c) if marks.contains(&c) => {
                text.push(c);
                self.rpos += 1;
            }
            _ => return Ok(Some(end)),
        }
        if let Some(c @ (b'+' | b'-')) = self.peek()? {
            text.push(c);
            self.rpos += 1;
        }
        let exponent = self.scan_while(text, |c| c.is_ascii_digit())?;
        Ok(Some(if exponent == 0 { end } else { text.len() }))
    }

    fn scan_while(&mut self, text: &mut Vec<u8>, accept: impl Fn(u8) -> bool) -> io::Result<usize> {
        let mut n = 0;
        while let Some(c) = self.peek()? {
            if !accept(c) {
                break;
            }
            text.push(c);
            self.rpos += 1;
            n += 1;
        }
        Ok(n)
    }

    /// Writes bytes (buffered according to the stream's mode).
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.writable {
            return Err(os_error(EBADF));
        }
        match self.kind {
            Kind::Stdout => {
                output::write(bytes);
                return Ok(());
            }
            Kind::Stderr => return self.file()?.write_all(bytes),
            _ => {}
        }
        if self.unread() > 0 {
            let back = self.unread() as i64;
            self.file()?.seek(SeekFrom::Current(-back))?;
        }
        self.rbuf.clear();
        self.rpos = 0;
        self.wbuf.extend_from_slice(bytes);
        let due = match self.buffering {
            Buffering::No => true,
            Buffering::Full => self.wbuf.len() >= CHUNK,
            Buffering::Line => self.wbuf.len() >= CHUNK || bytes.contains(&b'\n'),
        };
        if due {
            self.flush_writes()?;
        }
        Ok(())
    }

    fn flush_writes(&mut self) -> io::Result<()> {
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.wbuf);
        self.file()?.write_all(&pending)
    }

    /// Writes out buffered output (`flush`).
    pub fn flush(&mut self) -> io::Result<()> {
        if matches!(self.kind, Kind::Stdout) {
            output::flush();
            return Ok(());
        }
        self.flush_writes()
    }

    /// Changes the buffering mode (`setvbuf`).
    pub fn set_buffering(&mut self, mode: Buffering) -> io::Result<()> {
        match self.kind {
            Kind::Stdout => output::set_buffering(mode),
            Kind::Stderr => {}
            _ => {
                self.flush_writes()?;
                self.buffering = mode;
            }
        }
        Ok(())
    }

    /// Moves to `offset` from the start (`set`), the current position (`cur`) or the end (`end`)
    /// and returns the new position.
    pub fn seek(&mut self, whence: usize, offset: i64) -> io::Result<u64> {
        if matches!(self.kind, Kind::Stdout) {
            output::flush();
        }
        self.flush_writes()?;
        let unread = self.unread() as i64;
        let file = self.file()?;
        let target = match whence {
            0 => SeekFrom::Start(u64::try_from(offset).map_err(|_| os_error(EINVAL))?),
            1 => {
                let here = file.stream_position()? as i64 - unread;
                let to = here.checked_add(offset).filter(|&p| p >= 0);
                SeekFrom::Start(to.ok_or_else(|| os_error(EINVAL))? as u64)
            }
            _ => SeekFrom::End(offset),
        };
        let pos = file.seek(target)?;
        self.rbuf.clear();
        self.rpos = 0;
        Ok(pos)
    }

    /// Writes out pending output, releases the OS file and waits for a `popen` child.
    pub fn close(&mut self) -> io::Result<()> {
        let flushed = self.flush_writes();
        self.file = None;
        if let Kind::Pipe(child) = &mut self.kind {
            if let Some(mut child) = child.take() {
                child.wait()?;
            }
        }
        flushed
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let _ = self.close();
    }
}
