//! Standard output shared by `print` and `io.write`: buffered like C's stdio (fully when piped,
//! line by line on a terminal) and flushed at exit.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};

thread_local! {
    static OUT: RefCell<Option<Output>> = const { RefCell::new(None) };
}

struct Output {
    buf: Vec<u8>,
    mode: Buffering,
}

/// How standard output is buffered (C's `setvbuf` modes, set by `io.stdout:setvbuf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Buffering {
    /// Every write goes out at once.
    No,
    /// Written when the buffer fills.
    Full,
    /// Written at each newline.
    Line,
}

const FLUSH_AT: usize = 8192;

/// Writes bytes to standard output (buffered).
pub fn write(bytes: &[u8]) {
    OUT.with(|o| {
        let mut o = o.borrow_mut();
        let out = o.get_or_insert_with(new_output);
        out.buf.extend_from_slice(bytes);
        let due = match out.mode {
            Buffering::No => true,
            Buffering::Full => out.buf.len() >= FLUSH_AT,
            Buffering::Line => out.buf.len() >= FLUSH_AT || bytes.contains(&b'\n'),
        };
        if due {
            let _ = std::io::stdout().write_all(&out.buf);
            let _ = std::io::stdout().flush();
            out.buf.clear();
        }
    });
}

fn new_output() -> Output {
    let mode = if std::io::stdout().is_terminal() {
        Buffering::Line
    } else {
        Buffering::Full
    };
    Output {
        buf: Vec::with_capacity(FLUSH_AT),
        mode,
    }
}

/// Changes how standard output is buffered, writing out what is pending first.
pub fn set_buffering(mode: Buffering) {
    flush();
    OUT.with(|o| o.borrow_mut().get_or_insert_with(new_output).mode = mode);
}

/// Writes out everything buffered.
pub fn flush() {
    OUT.with(|o| {
        if let Some(out) = o.borrow_mut().as_mut() {
            let _ = std::io::stdout().write_all(&out.buf);
            out.buf.clear();
        }
        let _ = std::io::stdout().flush();
    });
}
