//! Logging in Redis's format: `pid:role dd Mon yyyy hh:mm:ss.mmm <level> message`, where the level mark
//! is `.` debug, `-` verbose, `*` notice, `#` warning. Key decision: a process-wide level and optional
//! log file set once at start-up; timestamps are formatted in UTC without a date library.

use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

/// Log levels, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `.`
    Debug = 0,
    /// `-`
    Verbose = 1,
    /// `*`
    Notice = 2,
    /// `#`
    Warning = 3,
    /// Nothing is logged.
    Nothing = 4,
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Notice as u8);
static FILE: Mutex<Option<std::fs::File>> = Mutex::new(None);

/// Sets the level from the `loglevel` directive word.
pub fn set_level(word: &str) {
    let l = match word {
        "debug" => Level::Debug,
        "verbose" => Level::Verbose,
        "warning" => Level::Warning,
        "nothing" => Level::Nothing,
        _ => Level::Notice,
    };
    LEVEL.store(l as u8, Ordering::Relaxed);
}

/// Sends log lines to `path` instead of standard output (empty path: standard output).
pub fn set_file(path: &str) -> std::io::Result<()> {
    let f = if path.is_empty() {
        None
    } else {
        Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?,
        )
    };
    if let Ok(mut slot) = FILE.lock() {
        *slot = f;
    }
    Ok(())
}

/// Writes one log line with role mark `role` (`C` before start-up, `M` after).
pub fn log(level: Level, role: char, msg: &str) {
    if (level as u8) < LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let mark = match level {
        Level::Debug => '.',
        Level::Verbose => '-',
        Level::Notice => '*',
        _ => '#',
    };
    let line = format!(
        "{}:{} {} {} {}\n",
        std::process::id(),
        role,
        timestamp(crate::db::clock::system_ms()),
        mark,
        msg
    );
    if let Ok(mut slot) = FILE.lock() {
        if let Some(f) = slot.as_mut() {
            let _ = f.write_all(line.as_bytes());
            return;
        }
    }
    let _ = std::io::stdout().write_all(line.as_bytes());
}

/// Notice-level line from the running server.
pub fn notice(msg: &str) {
    log(Level::Notice, 'M', msg);
}

/// Warning-level line from the running server.
pub fn warning(msg: &str) {
    log(Level::Warning, 'M', msg);
}

/// Verbose-level line from the running server.
pub fn verbose(msg: &str) {
    log(Level::Verbose, 'M', msg);
}

/// `dd Mon yyyy hh:mm:ss.mmm` (UTC) for a unix time in milliseconds.
pub fn timestamp(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86400));
    let tod = secs.rem_euclid(86400);
    format!(
        "{:02} {} {} {:02}:{:02}:{:02}.{:03}",
        d,
        MONTHS[(m - 1) as usize],
        y,
        tod / 3600,
        tod / 60 % 60,
        tod % 60,
        ms.rem_euclid(1000)
    )
}

/// Converts days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_dates() {
        assert_eq!(super::timestamp(0), "01 Jan 1970 00:00:00.000");
        assert_eq!(
            super::timestamp(1_709_251_200_123),
            "01 Mar 2024 00:00:00.123"
        );
    }
}
