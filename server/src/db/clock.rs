//! The cached clock: the event loop stores the time once per batch of commands and everything else
//! (expiry checks, LRU stamps) reads the cached value. Key decision: one atomic load instead of a
//! syscall per key access; the server is single threaded so `Relaxed` is enough.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static NOW_MS: AtomicI64 = AtomicI64::new(0);

/// Reads the system clock in milliseconds since the epoch.
pub fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Reads the system clock in microseconds since the epoch.
pub fn system_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Refreshes the cached time; returns it.
pub fn update() -> i64 {
    let now = system_ms();
    NOW_MS.store(now, Ordering::Relaxed);
    now
}

/// The cached time in milliseconds.
pub fn now_ms() -> i64 {
    NOW_MS.load(Ordering::Relaxed)
}

/// The cached time in seconds, truncated to 32 bits (per-key access stamps).
pub fn lru_clock() -> u32 {
    (now_ms() / 1000) as u32
}
