//! Standard output shared by `print` and `io.write`: buffered like C's stdio (fully when piped,
//! line by line on a terminal) and flushed at exit.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};

thread_local! {
    static OUT: RefCell<Option<Output>> = const { RefCell::new(None) };
}

struct Output {
    buf: Vec<u8>,
    line_buffered: bool,
}

const FLUSH_AT: usize = 8192;

/// Writes bytes to standard output (buffered).
pub fn write(bytes: &[u8]) {
    OUT.with(|o| {
        let mut o = o.borrow_mut();
        let out = o.get_or_insert_with(|| Output {
            buf: Vec::with_capacity(FLUSH_AT),
            line_buffered: std::io::stdout().is_terminal(),
        });
        out.buf.extend_from_slice(bytes);
        if out.buf.len() >= FLUSH_AT || (out.line_buffered && bytes.contains(&b'\n')) {
            let _ = std::io::stdout().write_all(&out.buf);
            let _ = std::io::stdout().flush();
            out.buf.clear();
        }
    });
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
